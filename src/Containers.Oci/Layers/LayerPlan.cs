namespace Containers.Oci.Layers;

/// <summary>
/// What one layer will hold, as plain data: the entries in the order they are written (sorted by path, parents first)
/// and a short description that becomes the layer's history entry. Planning is kept apart from writing, as in Jib.
/// </summary>
public sealed record LayerPlan(string Description, IReadOnlyList<LayerEntry> Entries)
{
    public bool IsEmpty => Entries.All(e => e.Kind == LayerEntryKind.Directory);
}
