using System.Text;
using Containers.Oci.Layers;

namespace Containers.Oci.Packages;

/// <summary>
/// Maintainer scripts are never run: a publish runs nothing of the image. Most scripts of the packages an app needs
/// only refresh caches (ldconfig, fc-cache) or ask debconf questions whose defaults are what a container wants; the
/// work that does matter is done here for the packages known to need it, and a package whose scripts create users or
/// groups (which no layer of files can stand in for) fails with CONTAINER5811. docs/packages.md has the list.
/// </summary>
public static class MaintainerScripts
{
    private static readonly string[] UnsupportedCommands = ["adduser", "useradd", "addgroup", "groupadd"];

    /// <summary>Fails for a package whose preinst or postinst creates users or groups.</summary>
    public static void Check(UnpackedPackage package)
    {
        foreach (var script in new[] { "preinst", "postinst" })
        {
            var text = package.Control.Text(script);
            var command = UnsupportedCommands.FirstOrDefault(c => text.Split((char[])[' ', '\n', '\t', ';', '(', '`'], StringSplitOptions.RemoveEmptyEntries).Contains(c));
            if (command is not null) throw Errors.ErrorCatalogue.PackageNeedsScripts.ToException(package.Package.Name, $"its {script} runs '{command}'");
        }
    }

    /// <summary>
    /// Files that scripts would have made and that programs need, as image path → content. ca-certificates: the bundle
    /// <c>/etc/ssl/certs/ca-certificates.crt</c> of every certificate it ships (update-ca-certificates' default, every
    /// one enabled), and <c>/etc/ca-certificates.conf</c> naming them.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> GeneratedFiles(IReadOnlyList<UnpackedPackage> packages)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (packages.FirstOrDefault(p => p.Package.Name == "ca-certificates") is { } certificates)
        {
            const string shared = "usr/share/ca-certificates/";
            var certs = certificates.Entries.Where(e => e.Kind == LayerEntryKind.File && e.Path.StartsWith(shared, StringComparison.Ordinal) && e.Path.EndsWith(".crt", StringComparison.Ordinal))
                .OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
            var bundle = new MemoryStream();
            foreach (var cert in certs)
            {
                var bytes = File.ReadAllBytes(cert.SourcePath!);
                bundle.Write(bytes);
                if (bytes.Length > 0 && bytes[^1] != '\n') bundle.WriteByte((byte)'\n');
            }
            files["etc/ssl/certs/ca-certificates.crt"] = bundle.ToArray();
            files["etc/ca-certificates.conf"] = Encoding.UTF8.GetBytes(
                "# Written by Containers.Build in place of ca-certificates' postinst: every certificate enabled.\n"
                + string.Concat(certs.Select(c => c.Path[shared.Length..] + "\n")));
        }
        return files;
    }
}
