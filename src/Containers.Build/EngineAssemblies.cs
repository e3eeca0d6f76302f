using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Containers.Build;

/// <summary>
/// Where the tasks find the engine (Containers.Oci and its dependencies) in the package: <c>engine/&lt;rid&gt;/</c>,
/// precompiled (ReadyToRun) for this machine, when the package has that platform, else the portable <c>engine/</c>.
/// <para>
/// The task assembly itself stays portable IL, because MSBuild runs a precompiled task assembly out of process (it
/// reads the platform-specific machine type as a foreign architecture). The engine is where nearly all the code is, so
/// precompiling it saves most of the just-in-time compilation that every <c>dotnet publish</c> process pays. The engine
/// is not beside the task assembly, so MSBuild's load context does not find it and asks this resolver.
/// </para>
/// </summary>
internal static class EngineAssemblies
{
    internal static readonly string[] Names = ["Containers.Oci", "ZstdSharp", "System.IO.Hashing", "BouncyCastle.Cryptography", "SharpCompress"];

    // A library's module initializer is the one hook that runs before any task type touches an engine type, which is
    // exactly what a plug-in that finds its own dependencies needs (the "advanced scenario" CA2255 allows).
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        var tasks = typeof(EngineAssemblies).Assembly;
        var directory = Path.GetDirectoryName(tasks.Location);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(Path.Combine(directory, "engine"))) return;   // a plain build output: the engine is beside us
        var context = AssemblyLoadContext.GetLoadContext(tasks) ?? AssemblyLoadContext.Default;
        context.Resolving += (loadContext, name) => Find(directory, name.Name, PlatformFolder()) is { } path ? loadContext.LoadFromAssemblyPath(path) : null;
    }

    /// <summary>The file for an engine assembly: the platform's precompiled copy if there is one, else the portable one.</summary>
    internal static string? Find(string tasksDirectory, string? assemblyName, string? platformFolder)
    {
        if (assemblyName is null || !Names.Contains(assemblyName, StringComparer.Ordinal)) return null;
        var engine = Path.Combine(tasksDirectory, "engine");
        if (platformFolder is not null && Path.Combine(engine, platformFolder, assemblyName + ".dll") is var precompiled && File.Exists(precompiled)) return precompiled;
        var portable = Path.Combine(engine, assemblyName + ".dll");
        return File.Exists(portable) ? portable : null;
    }

    /// <summary>linux-x64 or linux-arm64 (the platforms the package precompiles for), else null.</summary>
    internal static string? PlatformFolder()
    {
        if (!OperatingSystem.IsLinux()) return null;
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "linux-x64",
            Architecture.Arm64 => "linux-arm64",
            _ => null,
        };
    }
}
