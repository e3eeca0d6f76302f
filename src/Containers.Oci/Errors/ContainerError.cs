using System.Globalization;

namespace Containers.Oci.Errors;

/// <summary>One entry of the error catalogue: a stable code, a message template and the fix we suggest.</summary>
public sealed record ContainerError(string Code, string Message, string? Fix = null, bool IsWarning = false)
{
    /// <summary>What kind of failure the entry is, so callers act on the kind (<see cref="ContainerException.Kind"/>), not on entries.</summary>
    public FailureKind Kind { get; init; } = FailureKind.Other;

    /// <summary>Fills the message template; the fix, if any, follows it.</summary>
    public string Format(params object?[] args)
    {
        var text = string.Format(CultureInfo.InvariantCulture, Message, args);
        return Fix is null ? text : $"{text} {Fix}";
    }

    public ContainerException ToException(params object?[] args) => new(this, Format(args));

    public ContainerException ToException(Exception inner, params object?[] args) => new(this, Format(args), inner);
}

/// <summary>
/// A failure the user can act on, with its catalogue entry (code, message, fix) and its <see cref="Kind"/>. MSBuild
/// tasks log it as a coded error; it is never shown as a stack trace. One type with a kind, rather than a subclass per
/// kind: callers that care filter on the kind (<c>catch (ContainerException e) when (e.Kind == FailureKind.NotFound)</c>).
/// </summary>
public sealed class ContainerException : Exception
{
    public ContainerException(ContainerError error, string message, Exception? inner = null) : base(message, inner)
    {
        Error = error;
    }

    public ContainerError Error { get; }

    public string Code => Error.Code;

    public FailureKind Kind => Error.Kind;

    public override string ToString() => $"{Code}: {Message}";
}
