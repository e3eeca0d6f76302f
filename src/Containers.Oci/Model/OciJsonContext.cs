using System.Text.Json.Serialization;

namespace Containers.Oci.Model;

/// <summary>
/// Serialization code for the documents we read and write, generated at compile time. Without it each process would
/// build the same code by reflection (and emit) on first use, a noticeable part of a short publish. The options are
/// <see cref="OciJson.Options"/>'s; a type not listed here still works, through reflection.
/// </summary>
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(LayoutIndex))]
[JsonSerializable(typeof(List<DockerArchiveManifest>))]
[JsonSerializable(typeof(DockerArchiveManifest[]))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
