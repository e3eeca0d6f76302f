using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Sockets;
using Containers.Oci.Images;
using Xunit.Sdk;

namespace Containers.Oci.Tests.Layers;

/// <summary>Makes the hostile things a publish folder can hold (FIFOs, sockets, names that are not UTF-8), and reads layers back.</summary>
public static class HostFiles
{
    public static void MakeFifo(string path) => Run("mkfifo", path);

    /// <summary>A bound Unix socket; the socket file exists only while the returned socket is open (.NET removes it on dispose).</summary>
    public static Socket MakeSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>Creates <c>folder/bad&lt;0xFF&gt;name</c>: .NET cannot spell that name, so the shell does.</summary>
    public static void MakeNonUtf8File(string folder) => Run("bash", "-c", "printf x > \"$1/$(printf 'bad\\377name')\"", "bash", folder);

    /// <summary>Deletes a folder with the system's rm: .NET cannot delete a file whose name it cannot spell.</summary>
    public static void RemoveTree(string folder) => Run("rm", "-rf", folder);

    public static void MakeHardLink(string existing, string link) => Run("ln", existing, link);

    /// <summary>Every entry of a gzip layer: name, type and link target.</summary>
    public static List<(string Name, TarEntryType Type, string LinkName)> Entries(FileLayer layer)
    {
        using var gzip = new GZipStream(File.OpenRead(layer.Path), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<(string, TarEntryType, string)>();
        while (reader.GetNextEntry() is { } entry) entries.Add((entry.Name, entry.EntryType, entry.LinkName));
        return entries;
    }

    private static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new XunitException($"Could not start {command}.");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new XunitException($"{command} exited with {process.ExitCode}: {stderr}");
    }
}
