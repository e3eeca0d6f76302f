using Containers.Oci.Model;

namespace Containers.Oci.Layers;

/// <summary>
/// Told how a layer's compressed file grows while <see cref="LayerWriter"/> writes it, so another party can read the
/// bytes already there (an upload to a registry, say) without slowing the writer down. Calls come from the writer, in
/// order: <see cref="Started"/>, <see cref="Grew"/> after each write has reached the file, then <see cref="Completed"/>
/// (before the file is renamed to its digest) or <see cref="Failed"/>; <see cref="Failed"/> also follows
/// <see cref="Completed"/> when that rename fails. They must return at once.
/// </summary>
public interface ILayerWriteObserver
{
    /// <summary>The temporary file exists at <paramref name="path"/>; open it with <c>FileShare.ReadWrite | FileShare.Delete</c>.</summary>
    void Started(string path);

    /// <summary>The file now holds <paramref name="bytes"/> compressed bytes, readable by another handle.</summary>
    void Grew(long bytes);

    /// <summary>The whole layer is in the file: <paramref name="size"/> bytes with this digest.</summary>
    void Completed(Digest digest, long size);

    /// <summary>The write stopped (an error or a cancellation); the file is deleted.</summary>
    void Failed(Exception error);
}
