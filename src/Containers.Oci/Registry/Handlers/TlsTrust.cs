using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Containers.Oci.Registry.Handlers;

/// <summary>
/// Decides whether to trust a server certificate: always for insecure hosts; otherwise when the system trusts it, or
/// when it chains to one of the extra certificate authorities (the name must still match). A refusal is remembered per
/// host, so the error can say why rather than only that TLS failed.
/// </summary>
internal sealed class TlsTrust(Func<string, bool> isInsecureHost, X509Certificate2Collection extraAuthorities)
{
    private readonly ConcurrentDictionary<string, string> _refusals = new(StringComparer.OrdinalIgnoreCase);

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName ?? "";
        if (isInsecureHost(host) || errors == SslPolicyErrors.None) return true;
        if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && ChainsToExtraAuthority(certificate, chain)) return true;
        _refusals[host] = Describe(certificate, chain, errors);
        return false;
    }

    /// <summary>Why the certificate of <paramref name="host"/> was refused, if it was.</summary>
    public string? RefusalFor(string host) => _refusals.TryGetValue(host.Trim('[', ']'), out var why) ? why : null;

    private bool ChainsToExtraAuthority(X509Certificate certificate, X509Chain? presented)
    {
        if (extraAuthorities.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(extraAuthorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static string Describe(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) reasons.Add("it sent no certificate");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) reasons.Add("the certificate is for another name");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
            reasons.Add(statuses.Count == 0 ? "its certificate chain is not valid" : $"its certificate chain is not valid ({string.Join(", ", statuses)})");
        }
        var subject = certificate is null ? "" : $"; the certificate is '{certificate.Subject}' issued by '{certificate.Issuer}'";
        return string.Join(" and ", reasons) + subject;
    }
}
