using Containers.Oci.Errors;

namespace Containers.Oci.Diagnostics;

/// <summary>Where the engine reports progress and warnings: MSBuild's log in the tasks, the console in a CLI, a list in tests.</summary>
public interface IBuildLog
{
    /// <summary>A line the user normally sees (normal verbosity).</summary>
    void Info(string message);

    /// <summary>A line for detailed verbosity.</summary>
    void Detail(string message);

    /// <summary>A coded warning from the catalogue.</summary>
    void Warning(ContainerError warning, string message);
}

/// <summary>A log that keeps nothing.</summary>
public sealed class NullBuildLog : IBuildLog
{
    public static readonly NullBuildLog Instance = new();
    public void Info(string message) { }
    public void Detail(string message) { }
    public void Warning(ContainerError warning, string message) { }
}
