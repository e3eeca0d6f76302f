using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Containers.Cli.Commands;

/// <summary>
/// Examples for a command's --help, printed after System.CommandLine's own help, and only in that command's help (the
/// root's list of commands stays one line each).
/// </summary>
public static class Examples
{
    private static readonly ConditionalWeakTable<Command, string[]> Table = new();

    public static T With<T>(this T command, params string[] examples) where T : Command
    {
        Table.AddOrUpdate(command, examples);
        return command;
    }

    public static IReadOnlyList<string> Of(Command command) => Table.TryGetValue(command, out var examples) ? examples : [];

    /// <summary>Replaces the help option's action with one that adds the examples of the command asked about.</summary>
    public static void AddToHelp(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction standard) help.Action = new WithExamples(standard);
    }

    private sealed class WithExamples(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var result = standard.Invoke(parseResult);
            var examples = Of(parseResult.CommandResult.Command);
            if (examples.Count > 0)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine("Examples:");
                foreach (var example in examples) output.WriteLine("  " + example);
                output.WriteLine();
            }
            return result;
        }
    }
}
