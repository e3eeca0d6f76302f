using Containers.Oci.Errors;

namespace Containers.Oci.Publishing;

/// <summary>The user's process settings, as the ContainerEntrypoint/AppCommand/DefaultArgs properties give them.</summary>
public sealed record AppCommandInputs
{
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> EntrypointArgs { get; init; } = [];
    public IReadOnlyList<string> DefaultArgs { get; init; } = [];
    public IReadOnlyList<string> AppCommand { get; init; } = [];
    public IReadOnlyList<string> AppCommandArgs { get; init; } = [];
    public string? Instruction { get; init; }
}

/// <summary>
/// Decides the image's Entrypoint and Cmd by the SDK's rules for ContainerAppCommandInstruction:
/// <c>Entrypoint</c> (the default) starts the app as the entrypoint; <c>DefaultArgs</c> keeps the base's entrypoint and
/// passes the app command as Cmd; <c>None</c> leaves the command to ContainerEntrypoint and ContainerDefaultArgs.
/// </summary>
public static class AppCommandResolver
{
    public const string Entrypoint = "Entrypoint";
    public const string DefaultArgs = "DefaultArgs";
    public const string None = "None";
    private static readonly string ValidInstructions = $"'{DefaultArgs}', '{Entrypoint}', '{None}'";

    /// <summary>Returns the entrypoint and cmd, or throws a coded error; warnings go to <paramref name="warn"/>.</summary>
    public static (IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd) Resolve(
        AppCommandInputs inputs, IReadOnlyList<string>? baseEntrypoint, Action<ContainerError, string> warn)
    {
        var entrypoint = inputs.Entrypoint;
        var entrypointArgs = inputs.EntrypointArgs;
        var cmd = inputs.DefaultArgs;
        var appCommand = inputs.AppCommand;
        var appCommandArgs = inputs.AppCommandArgs;
        var instruction = string.IsNullOrWhiteSpace(inputs.Instruction) ? null : inputs.Instruction.Trim();

        // Official images that set 'dotnet' as their entrypoint expect it to be replaced, so it does not count.
        IReadOnlyList<string> inherited = baseEntrypoint is [ "dotnet" or "/usr/bin/dotnet" ] ? [] : baseEntrypoint ?? [];
        var setsEntrypoint = entrypoint.Count > 0 || entrypointArgs.Count > 0;

        if (instruction is null)
        {
            if (setsEntrypoint)
            {
                if (cmd.Count == 0 && appCommandArgs.Count == 0 && entrypoint.Count == 0)
                {
                    // The pre-AppCommand style: the app command is the entrypoint and ContainerEntrypointArgs its default args.
                    if (entrypointArgs.Count > 0) warn(ErrorCatalogue.EntrypointArgsPreferAppCommandArgs, ErrorCatalogue.EntrypointArgsPreferAppCommandArgs.Format());
                    entrypoint = appCommand;
                    appCommand = [];
                    cmd = entrypointArgs;
                    entrypointArgs = [];
                    instruction = None;
                }
                else
                {
                    instruction = DefaultArgs;
                }
            }
            else
            {
                if (inherited.Count > 0) warn(ErrorCatalogue.BaseEntrypointOverwritten, ErrorCatalogue.BaseEntrypointOverwritten.Format());
                instruction = Entrypoint;
            }
        }

        if (entrypointArgs.Count > 0 && entrypoint.Count == 0) throw ErrorCatalogue.EntrypointArgsWithoutEntrypoint.ToException();
        if (appCommandArgs.Count > 0 && appCommand.Count == 0) throw ErrorCatalogue.AppCommandArgsWithoutAppCommand.ToException();

        switch (instruction)
        {
            case None:
                if (appCommand.Count > 0 || appCommandArgs.Count > 0) throw ErrorCatalogue.AppCommandSetButUnused.ToException(instruction);
                break;
            case DefaultArgs:
                cmd = [.. appCommand, .. appCommandArgs, .. cmd];
                break;
            case Entrypoint:
                if (setsEntrypoint) throw ErrorCatalogue.EntrypointConflictsWithAppCommand.ToException(instruction);
                entrypoint = appCommand;
                entrypointArgs = appCommandArgs;
                break;
            default:
                throw ErrorCatalogue.UnknownAppCommandInstruction.ToException(instruction, ValidInstructions);
        }

        IReadOnlyList<string> finalEntrypoint = entrypoint.Count > 0 ? [.. entrypoint, .. entrypointArgs] : inherited;
        return (finalEntrypoint, cmd);
    }
}
