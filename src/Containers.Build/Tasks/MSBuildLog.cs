using Containers.Oci.Diagnostics;
using Containers.Oci.Errors;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containers.Build.Tasks;

/// <summary>The engine's log, written to MSBuild's; coded warnings go to <paramref name="warn"/> (the task's own, which reports each once).</summary>
internal sealed class MSBuildLog(TaskLoggingHelper log, Action<ContainerError, string> warn) : IBuildLog
{
    public void Info(string message) => log.LogMessage(MessageImportance.High, "{0}", message);

    public void Detail(string message) => log.LogMessage(MessageImportance.Low, "{0}", message);

    public void Warning(ContainerError warning, string message) => warn(warning, message);
}
