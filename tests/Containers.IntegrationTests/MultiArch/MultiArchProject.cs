using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.MultiArch;

/// <summary>
/// The console sample made multi-RID (linux-x64;linux-arm64, self-contained per RID so arm64 needs no dotnet muxer,
/// the outer build staying RID-less), with a label, a variable and a port whose values hold ':'. One copy per test run:
/// every publish after the first reuses its restore and build.
/// </summary>
public static class MultiArchProject
{
    public const string LabelValue = "http://host:8080/x";
    public const string VariableValue = "a:b:c";

    private static readonly Lazy<Task<TestProject>> Project = new(CreateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<TestProject> GetAsync() => Project.Value;

    private static async Task<TestProject> CreateAsync()
    {
        var project = await TestProject.FromSampleAsync("ConsoleApp", folderName: "MultiArchApp");
        return project.WithFile("Directory.Build.props", $"""
            <Project>
              <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
              <PropertyGroup>
                <RuntimeIdentifiers>linux-x64;linux-arm64</RuntimeIdentifiers>
                <SelfContained Condition="'$(RuntimeIdentifier)' != ''">true</SelfContained>
              </PropertyGroup>
              <ItemGroup>
                <ContainerLabel Include="url" Value="{LabelValue}" />
                <ContainerEnvironmentVariable Include="MULTI" Value="{VariableValue}" />
                <ContainerPort Include="9090" Type="tcp" />
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>True when the kernel runs arm64 binaries through qemu (build/prereqs.sh sets it up).</summary>
    public static bool Arm64EmulationEnabled()
    {
        const string entry = "/proc/sys/fs/binfmt_misc/qemu-aarch64";
        try
        {
            return File.Exists(entry) && File.ReadAllText(entry).StartsWith("enabled", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
