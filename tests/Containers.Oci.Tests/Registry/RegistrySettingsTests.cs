using System.Net;
using Containers.Oci.Errors;
using Containers.Oci.Registry;
using Containers.Oci.Registry.Handlers;
using Containers.Oci.Tests.Support;

namespace Containers.Oci.Tests.Registry;

public sealed class RegistrySettingsTests
{
    private static RegistrySettings Resolve(RegistryClientOptions? options = null, params (string Name, string Value)[] variables)
        => RegistrySettings.Resolve((options ?? new RegistryClientOptions()) with { Environment = variables.ToDictionary(v => v.Name, v => v.Value) });

    [Theory]
    [InlineData("1048576", 1048576)]
    [InlineData("512K", 512 * 1024)]
    [InlineData("16M", 16 * 1024 * 1024)]
    [InlineData("16MiB", 16 * 1024 * 1024)]
    [InlineData("16mb", 16 * 1024 * 1024)]
    [InlineData("1G", 1024L * 1024 * 1024)]
    public void The_chunk_size_is_read_from_the_environment_in_bytes_or_with_a_suffix(string value, long expected)
        => Assert.Equal(expected, Resolve(null, (RegistryEnvironment.ChunkSize, value)).ChunkSize);

    [Theory]
    [InlineData("lots")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("12X")]
    public void A_bad_chunk_size_is_CONTAINER5106_naming_the_variable(string value)
    {
        var error = Assert.Throws<ContainerException>(() => Resolve(null, (RegistryEnvironment.ChunkSize, value)));

        Assert.Equal(ErrorCatalogue.InvalidRegistrySetting.Code, error.Code);
        Assert.Contains(RegistryEnvironment.ChunkSize, error.Message);
    }

    [Fact]
    public void The_option_wins_over_the_environment_and_small_blobs_stay_monolithic_below_the_chunk_size()
    {
        var settings = Resolve(new RegistryClientOptions { ChunkSize = 1000, MonolithicUploadLimit = 5000 }, (RegistryEnvironment.ChunkSize, "1M"));

        Assert.Equal(1000, settings.ChunkSize);
        Assert.Equal(1000, settings.MonolithicLimit);
        Assert.Equal(RegistrySettings.DefaultChunkSize, Resolve().ChunkSize);
    }

    [Fact]
    public void The_SDKs_chunk_variables_are_honoured_after_ours()
    {
        Assert.Equal(5000, Resolve(null, (RegistryEnvironment.SdkChunkSize, "5000")).ChunkSize);
        Assert.Equal(6000, Resolve(null, (RegistryEnvironment.LegacySdkChunkSize, "6000")).ChunkSize);
        Assert.Equal(1024, Resolve(null, (RegistryEnvironment.ChunkSize, "1K"), (RegistryEnvironment.SdkChunkSize, "5000")).ChunkSize);
        Assert.True(Resolve(null, (RegistryEnvironment.ForceChunkedUpload, "true")).MonolithicLimit < 0);
        Assert.True(Resolve(null, (RegistryEnvironment.LegacyForceChunkedUpload, "1")).MonolithicLimit < 0);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("false", null, false)]
    [InlineData("0", null, false)]
    [InlineData("true", "false", true)]   // the current name wins over the legacy one
    [InlineData(null, "false", false)]
    [InlineData(null, "TRUE", true)]
    public void Parallel_uploads_are_on_unless_the_SDKs_switch_turns_them_off(string? current, string? legacy, bool expected)
    {
        var variables = new List<(string, string)>();
        if (current is not null) variables.Add((RegistryEnvironment.ParallelUpload, current));
        if (legacy is not null) variables.Add((RegistryEnvironment.LegacyParallelUpload, legacy));

        Assert.Equal(expected, Resolve(null, [.. variables]).ParallelUploads);
    }

    [Theory]
    [InlineData("my.registry:5000", "my.registry:5000", true)]
    [InlineData("my.registry:5000", "my.registry:5001", false)]
    [InlineData("my.registry", "my.registry:5001", true)]
    [InlineData("a.example.com;my.registry:5000", "my.registry:5000", true)]
    [InlineData("a.example.com, https://my.registry:5000/", "my.registry:5000", true)]
    [InlineData("MY.REGISTRY:5000", "my.registry:5000", true)]
    [InlineData("", "my.registry:5000", false)]
    public void Insecure_registries_are_listed_by_host_or_host_and_port_separated_by_semicolons_or_commas(string list, string registry, bool insecure)
        => Assert.Equal(insecure, Resolve(null, (RegistryEnvironment.InsecureRegistries, list)).IsInsecureRegistry(registry));

    [Fact]
    public void Loopback_is_insecure_unless_turned_off_and_the_options_list_adds_to_the_environment()
    {
        Assert.True(Resolve().IsInsecureRegistry("localhost:5000"));
        Assert.False(Resolve(new RegistryClientOptions { TreatLoopbackAsInsecure = false }).IsInsecureRegistry("localhost:5000"));
        var both = Resolve(new RegistryClientOptions { InsecureRegistries = ["a.example.com"] }, (RegistryEnvironment.InsecureRegistries, "b.example.com"));
        Assert.True(both.IsInsecureRegistry("a.example.com") && both.IsInsecureRegistry("b.example.com"));
        Assert.True(both.IsInsecureHost("b.example.com"));
    }

    [Theory]
    [InlineData("https://r.example.com/v2/", false, true)]
    [InlineData("http://localhost:5000/v2/", false, true)]
    [InlineData("http://127.0.0.1:5000/v2/", false, true)]
    [InlineData("http://r.example.com/v2/", false, false)]
    [InlineData("http://r.example.com/v2/", true, true)]
    public void Credentials_go_over_plain_HTTP_only_to_this_machine_unless_allowed(string url, bool allowed, bool expected)
    {
        var settings = Resolve(null, (RegistryEnvironment.AllowHttpCredentials, allowed ? "true" : "false"));

        Assert.Equal(expected, settings.MayCarryCredentials(new Uri(url)));
    }

    [Fact]
    public void A_missing_or_empty_CA_bundle_is_CONTAINER5106()
    {
        using var temp = new TempDirectory();
        var empty = temp.WriteFile("empty.pem", "");

        Assert.Equal(ErrorCatalogue.InvalidRegistrySetting.Code, Assert.Throws<ContainerException>(() => Resolve(null, (RegistryEnvironment.CaBundle, temp.Combine("nope.pem")))).Code);
        Assert.Contains("no PEM certificate", Assert.Throws<ContainerException>(() => Resolve(null, (RegistryEnvironment.CaBundle, empty))).Message);
    }

    [Fact]
    public void Retries_default_to_five_and_come_from_the_environment()
    {
        Assert.Equal(RegistrySettings.DefaultMaxRetries, Resolve().Retry.MaxRetries);
        Assert.Equal(0, Resolve(null, (RegistryEnvironment.MaxRetries, "0")).Retry.MaxRetries);
        Assert.Throws<ContainerException>(() => Resolve(null, (RegistryEnvironment.MaxRetries, "many")));
    }

    [Fact]
    public void Backoff_doubles_with_jitter_up_to_the_cap_and_Retry_After_is_honoured_up_to_the_cap()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        for (var i = 0; i < 20; i++)
        {
            Assert.InRange(policy.DelayFor(1, null).TotalMilliseconds, 50, 100);
            Assert.InRange(policy.DelayFor(3, null).TotalMilliseconds, 200, 400);
            Assert.InRange(policy.DelayFor(10, null).TotalMilliseconds, 500, 1000);
        }
        Assert.Equal(TimeSpan.FromMilliseconds(700), policy.DelayFor(1, TimeSpan.FromMilliseconds(700)));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayFor(1, TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.NotImplemented, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    public void Only_timeouts_throttling_and_server_errors_are_retried(HttpStatusCode status, bool retried)
        => Assert.Equal(retried, RetryPolicy.IsRetryable(status));

    [Fact]
    public void Dropped_connections_are_transient_but_refused_ones_unknown_hosts_and_TLS_failures_are_not()
    {
        Assert.True(RetryPolicy.IsTransient(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")));
        Assert.True(RetryPolicy.IsTransient(new HttpRequestException("Error while copying content", new IOException("Broken pipe"))));
        Assert.True(RetryPolicy.IsTransient(new IOException("Connection reset by peer")));
        Assert.True(RetryPolicy.IsTransient(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected)));
        Assert.False(RetryPolicy.IsTransient(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (r:443)")));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known")));
        Assert.False(RetryPolicy.IsTransient(new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established")));
        Assert.False(RetryPolicy.IsTransient(new OperationCanceledException()));
    }
}
