using Containers.Oci.Errors;
using Containers.Oci.Names;
using Containers.Oci.Registry.Auth;
using CsCheck;

namespace Containers.Oci.Tests.Registry;

/// <summary>
/// Property tests (CsCheck) of the parsers that read what registries and users write. Inputs come from a fixed
/// generator stream, so every run checks the same cases; each test takes well under a second.
/// </summary>
public sealed class ParserPropertyTests
{
    private const int Cases = 3000;

    // Characters that matter to the grammars, and some that never belong.
    private static readonly Gen<string> HeaderText = Gen.String[Gen.Char["Bearer Basic realm=service\"scope,:/\\ =\t.-_abcXYZ019https@é\u0000"], 0, 60];
    private static readonly Gen<string> ReferenceText = Gen.OneOf(
        Gen.String[Gen.Char["abcxyzABC019:/@._-[]sha256 localhost\u00e9"], 0, 50],
        Gen.String);

    [Fact]
    public void Any_WWW_Authenticate_header_gives_challenges_or_a_coded_error_never_another_exception()
    {
        foreach (var header in Sample(HeaderText))
        {
            var challenges = AuthChallenge.Parse([header]);
            foreach (var challenge in challenges.Where(c => c.IsBearer && c.Realm is not null))
            {
                try
                {
                    var realm = challenge.RealmUri("registry.example.com");
                    Assert.True(realm.Scheme is "http" or "https", header);
                }
                catch (ContainerException e)
                {
                    Assert.Equal(ErrorCatalogue.InvalidTokenRealm.Code, e.Code);
                }
            }
            using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", header);
            _ = AuthChallenge.Choose(response);
            Assert.NotEmpty(AuthChallenge.WhyUnusable(response));
        }
    }

    [Fact]
    public void A_well_formed_bearer_challenge_gives_back_its_parameters()
    {
        var gen = Gen.Select(Gen.String[Gen.Char["abcxyz019.-"], 1, 20], Gen.String[Gen.Char["abcxyz019:/,= "], 0, 20], (host, service) => (host, service));
        foreach (var (host, service) in Sample(gen))
        {
            var realm = $"https://{host}/token";
            var challenge = Assert.Single(AuthChallenge.Parse([$"Bearer realm=\"{realm}\",service=\"{service}\""]));

            Assert.Equal((realm, service), (challenge.Realm, challenge.Service));
        }
    }

    [Fact]
    public void Any_string_is_an_image_reference_or_false_never_an_exception()
    {
        foreach (var text in Sample(ReferenceText))
        {
            if (ImageReference.TryParse(text, out var reference, out var reason))
            {
                Assert.True(ImageReference.IsValidRegistry(reference.Registry), text);
                _ = Containers.Oci.Registry.RegistryEndpoint.For(reference.Registry);
            }
            else
            {
                Assert.NotEmpty(reason);
            }
        }
    }

    [Fact]
    public void A_valid_reference_round_trips_through_its_text()
    {
        var component = Gen.String[Gen.Char["abcxyz019"], 1, 8];
        var separator = Gen.OneOf(Gen.Const("."), Gen.Const("_"), Gen.Const("__"), Gen.Const("-"), Gen.Const("--"));
        var pathPart = Gen.Select(component, separator, component, Gen.Bool, (a, s, b, joined) => joined ? a + s + b : a);
        var repository = pathPart.Array[1, 3].Select(parts => string.Join('/', parts));
        var host = Gen.OneOf(
            Gen.Select(component, component, (a, b) => $"{a}.{b}"),
            Gen.Const("localhost"),
            Gen.Int[0, 255].Select(n => $"127.0.0.{n}"),
            Gen.Const("[::1]"));
        var registry = Gen.Select(host, Gen.Int[0, 65535], (h, port) => port == 0 ? h : $"{h}:{port}");
        var tag = Gen.OneOf(Gen.Const((string?)null), Gen.String[Gen.Char["abcXYZ019_.-"], 0, 20].Select(t => (string?)("v" + t)));
        var digest = Gen.OneOf(Gen.Const((string?)null), Gen.Byte.Array[32].Select(b => (string?)$"sha256:{Convert.ToHexStringLower(b)}"));
        var reference = Gen.Select(registry, repository, tag, digest, (r, repo, t, d) => new ImageReference(r, repo, t, d));

        foreach (var expected in Sample(reference))
        {
            Assert.True(ImageReference.TryParse(expected.ToString(), out var parsed, out var reason), $"{expected}: {reason}");
            Assert.Equal(expected, parsed);
        }
    }

    /// <summary>The same cases every run: CsCheck's generators driven by a fixed seed.</summary>
    private static IEnumerable<T> Sample<T>(Gen<T> gen)
    {
        var random = new PCG(1, 20261201);
        for (var i = 0; i < Cases; i++) yield return gen.Generate(random, null, out _);
    }
}
