using System.Globalization;

namespace Containers.Oci.Packages;

/// <summary>
/// A Debian package version, <c>[epoch:]upstream[-revision]</c>, ordered as dpkg orders them (deb-version(7)): the
/// epoch as a number, then upstream and revision compared part by part, where runs of digits compare as numbers and
/// everything else character by character, letters before other characters and '~' before anything, even the end.
/// </summary>
public readonly record struct DebianVersion(long Epoch, string Upstream, string Revision) : IComparable<DebianVersion>
{
    public static DebianVersion Parse(string text)
    {
        var value = text.Trim();
        long epoch = 0;
        var colon = value.IndexOf(':');
        if (colon > 0 && long.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var e))
        {
            epoch = e;
            value = value[(colon + 1)..];
        }
        var dash = value.LastIndexOf('-');
        return dash > 0 ? new DebianVersion(epoch, value[..dash], value[(dash + 1)..]) : new DebianVersion(epoch, value, "");
    }

    public int CompareTo(DebianVersion other)
    {
        var byEpoch = Epoch.CompareTo(other.Epoch);
        if (byEpoch != 0) return byEpoch;
        var byUpstream = ComparePart(Upstream, other.Upstream);
        return byUpstream != 0 ? byUpstream : ComparePart(Revision, other.Revision);
    }

    public static bool operator <(DebianVersion a, DebianVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(DebianVersion a, DebianVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(DebianVersion a, DebianVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(DebianVersion a, DebianVersion b) => a.CompareTo(b) >= 0;

    public override string ToString()
        => (Epoch > 0 ? Epoch.ToString(CultureInfo.InvariantCulture) + ":" : "") + Upstream + (Revision.Length > 0 ? "-" + Revision : "");

    /// <summary>dpkg's verrevcmp: alternate non-digit and digit runs; a missing run counts as empty or zero.</summary>
    internal static int ComparePart(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ca = i < a.Length && !char.IsAsciiDigit(a[i]) ? Order(a[i]) : 0;
                var cb = j < b.Length && !char.IsAsciiDigit(b[j]) ? Order(b[j]) : 0;
                if (ca != cb) return ca - cb;
                if (i < a.Length && !char.IsAsciiDigit(a[i])) i++;
                if (j < b.Length && !char.IsAsciiDigit(b[j])) j++;
            }
            while (i < a.Length && a[i] == '0') i++;
            while (j < b.Length && b[j] == '0') j++;
            var firstDifference = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDifference == 0) firstDifference = a[i] - b[j];
                i++;
                j++;
            }
            if (i < a.Length && char.IsAsciiDigit(a[i])) return 1;
            if (j < b.Length && char.IsAsciiDigit(b[j])) return -1;
            if (firstDifference != 0) return firstDifference;
        }
        return 0;
    }

    /// <summary>The sort weight of a non-digit: '~' lowest (below the end, 0), letters as themselves, others after letters.</summary>
    private static int Order(char c) => c == '~' ? -1 : char.IsAsciiLetter(c) ? c : c + 256;
}
