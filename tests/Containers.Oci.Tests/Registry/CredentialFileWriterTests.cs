using System.Text;
using System.Text.Json.Nodes;
using Containers.Oci.Errors;
using Containers.Oci.Registry.Credentials;

namespace Containers.Oci.Tests.Registry;

/// <summary>Where a login is stored and what the file looks like after: the rest kept, one entry per registry, never over a helper.</summary>
public sealed class CredentialFileWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("containers-login-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name = "config.json") => Path.Combine(_folder, name);

    [Fact]
    public void DefaultPath_IsPodmansFile_WhenSet_ElseDockersConfig()
    {
        Assert.Equal("/run/auth.json", CredentialFileWriter.DefaultPath(new Dictionary<string, string> { ["REGISTRY_AUTH_FILE"] = "/run/auth.json", ["DOCKER_CONFIG"] = "/d" }));
        Assert.Equal(Path.Combine("/d", "config.json"), CredentialFileWriter.DefaultPath(new Dictionary<string, string> { ["DOCKER_CONFIG"] = "/d", ["HOME"] = "/h" }));
        Assert.Equal(Path.Combine("/h", ".docker", "config.json"), CredentialFileWriter.DefaultPath(new Dictionary<string, string> { ["HOME"] = "/h" }));
    }

    [Fact]
    public void Store_KeepsTheRestOfTheFile_AndReplacesOtherSpellingsOfTheRegistry()
    {
        System.IO.File.WriteAllText(File(), """{"auths":{"https://localhost:5000":{"auth":"b2xkOm9sZA=="},"other.example":{"auth":"eDp5"}},"psFormat":"table"}""");

        CredentialFileWriter.Store(File(), "localhost:5000", "alice", "s3cret");

        var root = JsonNode.Parse(System.IO.File.ReadAllText(File()))!;
        Assert.Equal("table", root["psFormat"]!.GetValue<string>());
        Assert.Equal(["other.example", "localhost:5000"], root["auths"]!.AsObject().Select(a => a.Key));
        Assert.Equal("alice:s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(root["auths"]!["localhost:5000"]!["auth"]!.GetValue<string>())));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void Store_ForDockerHub_UsesTheKeyDockerLoginWrites()
    {
        CredentialFileWriter.Store(File(), "docker.io", "bob", "pw");

        Assert.NotNull(JsonNode.Parse(System.IO.File.ReadAllText(File()))!["auths"]!["https://index.docker.io/v1/"]);
    }

    [Fact]
    public void Store_WhenAHelperKeepsTheRegistrysLogins_Is5704_AndLeavesTheFile()
    {
        const string text = """{"credsStore":"desktop"}""";
        System.IO.File.WriteAllText(File(), text);

        var error = Assert.Throws<ContainerException>(() => CredentialFileWriter.Store(File(), "localhost:5000", "alice", "s3cret"));

        Assert.Equal(ErrorCatalogue.LoginWriteFailed, error.Error);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.Equal(text, System.IO.File.ReadAllText(File()));
    }
}
