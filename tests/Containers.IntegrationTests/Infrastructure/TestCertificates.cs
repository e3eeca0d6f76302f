using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Containers.IntegrationTests.Infrastructure;

/// <summary>A throw-away certificate authority and a server certificate it signed for localhost, 127.0.0.1 and ::1.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates(string commonName = "Containers test CA")
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={commonName}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        Authority = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        ServerKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", ServerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        Server = serverRequest.Create(Authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(6), RandomNumberGenerator.GetBytes(16));
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Server { get; }

    private RSA ServerKey { get; }

    /// <summary>Writes ca.pem, server.pem (the server's certificate, then the CA's) and server-key.pem; returns their paths.</summary>
    public (string CaPath, string CertificatePath, string KeyPath) WriteTo(string directory)
    {
        var ca = Path.Combine(directory, "ca.pem");
        var certificate = Path.Combine(directory, "server.pem");
        var key = Path.Combine(directory, "server-key.pem");
        File.WriteAllText(ca, Authority.ExportCertificatePem());
        File.WriteAllText(certificate, Server.ExportCertificatePem() + "\n" + Authority.ExportCertificatePem());
        File.WriteAllText(key, ServerKey.ExportPkcs8PrivateKeyPem());
        return (ca, certificate, key);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
        ServerKey.Dispose();
    }
}
