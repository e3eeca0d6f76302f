using System.Collections;
using Microsoft.Build.Framework;

namespace Containers.Build.Tests;

/// <summary>A build engine that keeps what a task logs, for tests that run a task without MSBuild.</summary>
internal sealed class FakeBuildEngine : IBuildEngine
{
    private readonly List<BuildErrorEventArgs> _errors = [];
    private readonly List<BuildWarningEventArgs> _warnings = [];
    private readonly List<BuildMessageEventArgs> _messages = [];

    public IReadOnlyList<BuildErrorEventArgs> Errors { get { lock (_errors) return [.. _errors]; } }
    public IReadOnlyList<BuildWarningEventArgs> Warnings { get { lock (_warnings) return [.. _warnings]; } }
    public IReadOnlyList<string> Messages { get { lock (_messages) return _messages.Select(m => m.Message ?? "").ToList(); } }

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.csproj";

    public void LogErrorEvent(BuildErrorEventArgs e) { lock (_errors) _errors.Add(e); }
    public void LogWarningEvent(BuildWarningEventArgs e) { lock (_warnings) _warnings.Add(e); }
    public void LogMessageEvent(BuildMessageEventArgs e) { lock (_messages) _messages.Add(e); }
    public void LogCustomEvent(CustomBuildEventArgs e) { }
    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();
}
