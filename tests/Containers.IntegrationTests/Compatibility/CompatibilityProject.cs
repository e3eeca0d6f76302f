using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Containers.IntegrationTests.Infrastructure;

namespace Containers.IntegrationTests.Compatibility;

public enum Tool { BuiltIn, Ours }

/// <summary>The three kinds of app the SDK's templates make: <c>console</c>, <c>web</c> and <c>worker</c>.</summary>
public enum AppKind { Console, Web, Worker }

/// <summary>
/// One app project for one tool, with the template's content written inline. It is published once; every
/// configuration then runs only the container targets against that publish folder, with its settings in a file the
/// project imports (<c>-p:ContainerCompatSettings=FILE</c>). So a configuration costs one container publish, not an app
/// build, and the built-in and ours see byte-identical projects except for the package reference.
/// </summary>
public sealed partial class CompatibilityProject
{
    public const string SettingsProperty = "ContainerCompatSettings";

    private CompatibilityProject(string projectFile, AppKind app, Tool tool)
    {
        ProjectFile = projectFile;
        App = app;
        Tool = tool;
    }

    public string ProjectFile { get; }
    public AppKind App { get; }
    public Tool Tool { get; }
    public string Name => Path.GetFileNameWithoutExtension(ProjectFile);

    /// <summary>Writes the project under <paramref name="folder"/>; <paramref name="buildProperties"/> go into its first PropertyGroup.</summary>
    public static async Task<CompatibilityProject> CreateAsync(string folder, AppKind app, Tool tool, IReadOnlyDictionary<string, string> buildProperties)
    {
        var (feed, version) = await PackageFeed.GetAsync();
        Directory.CreateDirectory(folder);
        // Stop MSBuild and NuGet from looking further up the temp folder for settings of someone else's.
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="containers-it" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var name = app switch { AppKind.Web => "WebApp", AppKind.Worker => "WorkerApp", _ => "ConsoleApp" };
        var projectDirectory = Path.Combine(folder, name);
        Directory.CreateDirectory(projectDirectory);
        var properties = string.Concat(buildProperties.Select(p => $"\n    <{p.Key}>{p.Value}</{p.Key}>"));
        var packageReference = tool == Tool.Ours ? $"""<PackageReference Include="Containers.Build" Version="{version}" />""" : "";
        var (sdk, extraProperties, extraItems) = app switch
        {
            AppKind.Web => ("Microsoft.NET.Sdk.Web", "", ""),
            AppKind.Worker => ("Microsoft.NET.Sdk.Worker", "\n    <UserSecretsId>dotnet-WorkerApp-5f1a7c1e-0b1d-4f57-9a57-2a3f5c9d7e11</UserSecretsId>",
                $"""<PackageReference Include="Microsoft.Extensions.Hosting" Version="{HostingVersion}" />"""),
            _ => ("Microsoft.NET.Sdk", "\n    <OutputType>Exe</OutputType>", ""),
        };
        var projectFile = Path.Combine(projectDirectory, name + ".csproj");
        await File.WriteAllTextAsync(projectFile, $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>{extraProperties}{properties}
              </PropertyGroup>
              <ItemGroup>
                {extraItems}
                {packageReference}
              </ItemGroup>
              <!-- The configuration under test: properties and items as a user would write them in this file. -->
              <Import Project="$({SettingsProperty})" Condition="'$({SettingsProperty})' != ''" />
            </Project>
            """);
        foreach (var (file, text) in Sources(app)) await File.WriteAllTextAsync(Path.Combine(projectDirectory, file), text);
        return new CompatibilityProject(projectFile, app, tool);
    }

    /// <summary>`dotnet publish -c Release`: restores and fills the publish folder every configuration reuses.</summary>
    public Task<ProcessResult> PublishAppAsync()
        => ProcessRunner.RunAsync("dotnet", ["publish", ProjectFile, "-c", "Release", "-nologo", "-nodeReuse:false", "-v:q"], Options(checkExitCode: true));

    /// <summary>
    /// Runs <paramref name="target"/> with the settings file and global properties, and asks MSBuild for the given
    /// properties and items as JSON (-getProperty/-getItem), which also keeps its log to warnings and errors.
    /// </summary>
    public async Task<MSBuildRun> RunAsync(string target, string? settingsFile, IEnumerable<string> properties, IEnumerable<string> getProperties, IEnumerable<string> getItems,
        IReadOnlyDictionary<string, string?>? environment = null, bool restore = false)
    {
        string[] arguments =
        [
            "msbuild", ProjectFile, "-t:" + target, "-p:Configuration=Release", "-nologo", "-nodeReuse:false",
            .. restore ? ["-restore"] : Array.Empty<string>(),
            .. settingsFile is null ? Array.Empty<string>() : [$"-p:{SettingsProperty}={settingsFile}"],
            .. properties.Select(p => "-p:" + p),
            .. getProperties.Select(p => "-getProperty:" + p),
            .. getItems.Select(i => "-getItem:" + i),
        ];
        var options = Options(checkExitCode: false);
        if (environment is not null)
        {
            options = options with { Environment = DotnetEnvironment.Variables.Concat(environment).GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Last().Value) };
        }
        var result = await ProcessRunner.RunAsync("dotnet", arguments, options);
        return new MSBuildRun(result);
    }

    private static ProcessOptions Options(bool checkExitCode) => new()
    {
        Environment = DotnetEnvironment.Variables,
        Timeout = TimeSpan.FromMinutes(5),
        CheckExitCode = checkExitCode,
    };

    /// <summary>The Microsoft.Extensions.Hosting version `dotnet new worker` picks: the running runtime's.</summary>
    private static string HostingVersion => $"{Environment.Version.Major}.{Environment.Version.Minor}.{Environment.Version.Build}";

    private static IEnumerable<(string File, string Text)> Sources(AppKind app) => app switch
    {
        AppKind.Web =>
        [
            ("Program.cs", """
                var builder = WebApplication.CreateBuilder(args);
                var app = builder.Build();
                app.MapGet("/", () => "Hello World!");
                app.Run();
                """),
            ("appsettings.json", """{ "Logging": { "LogLevel": { "Default": "Information" } }, "AllowedHosts": "*" }"""),
        ],
        AppKind.Worker =>
        [
            ("Program.cs", """
                using WorkerApp;

                var builder = Host.CreateApplicationBuilder(args);
                builder.Services.AddHostedService<Worker>();

                var host = builder.Build();
                host.Run();
                """),
            ("Worker.cs", """
                namespace WorkerApp;

                public class Worker(ILogger<Worker> logger) : BackgroundService
                {
                    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                    {
                        while (!stoppingToken.IsCancellationRequested)
                        {
                            if (logger.IsEnabled(LogLevel.Information))
                            {
                                logger.LogInformation("Worker running at: {time}", DateTimeOffset.Now);
                            }
                            await Task.Delay(1000, stoppingToken);
                        }
                    }
                }
                """),
            ("appsettings.json", """{ "Logging": { "LogLevel": { "Default": "Information", "Microsoft.Hosting.Lifetime": "Information" } } }"""),
        ],
        _ => [("Program.cs", """Console.WriteLine("Hello, World!");""")],
    };
}

/// <summary>One MSBuild run: its exit code and log, the coded diagnostics in it, and the JSON of -getProperty/-getItem.</summary>
public sealed partial class MSBuildRun(ProcessResult process)
{
    public ProcessResult Process { get; } = process;

    public bool Succeeded => Process.ExitCode == 0;

    public string Log => Process.StandardOutput + Process.StandardError;

    /// <summary>"warning CONTAINER2013", "error CONTAINER2008", "error MSB4018"...: sorted, each once.</summary>
    public IReadOnlyList<string> Diagnostics => DiagnosticPattern().Matches(Log)
        .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The JSON MSBuild prints for -getProperty/-getItem (after any warnings), or null when it printed none.</summary>
    public JsonObject? Results
    {
        get
        {
            var text = Process.StandardOutput;
            var start = text.IndexOf("\n{", StringComparison.Ordinal);
            if (text.StartsWith('{')) start = 0;
            if (start < 0) return null;
            try { return JsonNode.Parse(text[start..]) as JsonObject; }
            catch (System.Text.Json.JsonException) { return null; }
        }
    }

    public string? Property(string name) => Results?["Properties"]?[name]?.GetValue<string>();

    public JsonArray Items(string name) => Results?["Items"]?[name] as JsonArray ?? [];

    public override string ToString() => Process.ToString();

    [GeneratedRegex(@"\b(warning|error) ((?:CONTAINERS?|MSB)\d{3,4})\b")]
    private static partial Regex DiagnosticPattern();
}
