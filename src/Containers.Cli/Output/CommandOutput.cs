using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Containers.Cli.Output;

/// <summary>
/// A command's result on standard output: lines for people, or with --json one JSON document for scripts. Errors go to
/// standard error with their code; with --json they are also the document (<c>{"error": {"code", "message"}}</c>).
/// </summary>
public sealed class CommandOutput(CliConsole console, bool json, ConsoleLog log)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool IsJson => json;

    public void Result(JsonNode document, Action<TextWriter> human)
    {
        if (json) console.Out.WriteLine(document.ToJsonString(Indented));
        else human(console.Out);
        console.Out.Flush();
    }

    /// <summary>Bytes exactly as they are (a manifest's digest is over them), with nothing added.</summary>
    public void Raw(byte[] bytes)
    {
        console.Out.Flush();
        using var stdout = console.OpenStandardOutput();
        stdout.Write(bytes);
        stdout.Flush();
    }

    /// <summary>
    /// A command that ran and found something wrong (validate): the error on standard error, and with --json one
    /// document that holds both what was found and the error, so a script parses a single document.
    /// </summary>
    public int Failure(JsonObject document, Containers.Oci.Errors.ContainerException error)
    {
        log.Error(error.Code, error.Message);
        if (json)
        {
            document["error"] = new JsonObject { ["code"] = error.Code, ["message"] = error.Message };
            console.Out.WriteLine(document.ToJsonString(Indented));
            console.Out.Flush();
        }
        return ExitCodes.Failure;
    }

    public void Error(string? code, string message)
    {
        log.Error(code, message);
        if (json)
        {
            console.Out.WriteLine(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString(Indented));
            console.Out.Flush();
        }
    }
}
