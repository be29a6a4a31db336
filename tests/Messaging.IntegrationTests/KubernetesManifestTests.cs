using System.Net;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// k8s/: every overlay renders with `kubectl kustomize` and validates against the Kubernetes
/// schemas; the ports, probe paths, settings and secrets in it are the ones the apps read; and the
/// silo and front started with exactly the rendered environment answer their probes.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class KubernetesManifestTests(ServersFixture servers)
{
    private const string SecretName = "messaging-secrets";

    // Every key the apps read from the Secret, and the settings that must only ever come from one.
    private static readonly string[] SecretKeys = ["redis", "postgres", "jwt-signing-key", "dashboard-password"];
    private static readonly string[] SecretSettings = ["ConnectionStrings__Redis", "ConnectionStrings__Postgres", "Auth__SigningKey", "Dashboard__Password"];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static TheoryData<string> Overlays => new() { "dev", "prod" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_overlay_renders_validates_and_matches_what_the_apps_read(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var config = Find(objects, "ConfigMap", "messaging-config").GetProperty("data");
        var documented = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "docs", "operations.md"));

        foreach (var (name, kind) in new[] { ("messaging-silo", "silo"), ("messaging-front", "front") })
        {
            var deployment = Find(objects, "Deployment", name);
            var pod = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");
            var container = pod.GetProperty("containers")[0];
            var env = Environment(container, config);

            // Probes hit the paths the apps serve, on a port the container declares and the app listens on.
            var urls = env["Urls"].Value!;
            foreach (var (probe, path) in new[] { ("readinessProbe", "/readyz"), ("startupProbe", "/readyz"), ("livenessProbe", "/healthz") })
            {
                var get = container.GetProperty(probe).GetProperty("httpGet");
                Assert.Equal(path, get.GetProperty("path").GetString());
                var port = Port(container, get.GetProperty("port").GetString()!);
                Assert.Contains($":{port}", urls, StringComparison.Ordinal);
            }

            // Prometheus scrapes the port /metrics answers on: the silo's HTTP port, the front's metrics port.
            var scraped = int.Parse(deployment.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("annotations")
                .GetProperty("prometheus.io/port").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Port(container, kind == "silo" ? "http" : "metrics"), scraped);

            if (kind == "silo")
            {
                Assert.Equal(int.Parse(env["Orleans__SiloPort"].Value!, System.Globalization.CultureInfo.InvariantCulture), Port(container, "silo"));
                Assert.Equal(int.Parse(env["Orleans__GatewayPort"].Value!, System.Globalization.CultureInfo.InvariantCulture), Port(container, "gateway"));
                Assert.Equal("status.podIP", env["Orleans__AdvertisedIP"].FieldPath);
                Assert.Equal(60, pod.GetProperty("terminationGracePeriodSeconds").GetInt32());
            }
            else
            {
                Assert.Equal("Cluster", env["Hosting__Mode"].Value);
                Assert.Contains($":{Port(container, "metrics")}", urls, StringComparison.Ordinal);
                Assert.Equal(Port(container, "metrics").ToString(System.Globalization.CultureInfo.InvariantCulture), env["Telemetry__MetricsPort"].Value);
                Assert.Equal("sleep", container.GetProperty("lifecycle").GetProperty("preStop").GetProperty("exec").GetProperty("command")[0].GetString());
            }

            // Secrets are referenced, never inlined; every name is a setting operations.md documents.
            foreach (var (setting, value) in env)
            {
                if (SecretSettings.Contains(setting))
                {
                    Assert.True(value.Secret is { Name: SecretName } && SecretKeys.Contains(value.Secret.Value.Key), $"{name}: {setting} must come from {SecretName}");
                }
                else
                {
                    Assert.True(value.Secret is null, $"{name}: {setting} reads an unexpected secret");
                }

                var key = setting.Replace("__", ":", StringComparison.Ordinal);
                Assert.True(documented.Contains($"`{key}`", StringComparison.Ordinal) || documented.Contains($"`{setting}`", StringComparison.Ordinal),
                    $"{name}: {setting} is not a documented setting (docs/operations.md)");
            }

            Assert.True(env.ContainsKey(kind == "silo" ? "ConnectionStrings__Postgres" : "Auth__SigningKey"));
            Assert.True(env.ContainsKey("ConnectionStrings__Redis"));

            // Non-root, read-only root, nothing extra, and requests and limits set.
            Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
            var security = container.GetProperty("securityContext");
            Assert.True(security.GetProperty("readOnlyRootFilesystem").GetBoolean());
            Assert.False(security.GetProperty("allowPrivilegeEscalation").GetBoolean());
            Assert.Equal("ALL", security.GetProperty("capabilities").GetProperty("drop")[0].GetString());
            var resources = container.GetProperty("resources");
            Assert.True(resources.GetProperty("requests").TryGetProperty("cpu", out _) && resources.GetProperty("limits").TryGetProperty("memory", out _));

            // The disruption budget covers these pods.
            var budget = objects.Single(o => Kind(o) == "PodDisruptionBudget" && Name(o) == name);
            Assert.Equal(name, budget.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").GetProperty("app.kubernetes.io/name").GetString());
            Assert.Equal(name, deployment.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels").GetProperty("app.kubernetes.io/name").GetString());
        }

        // The public Service, the Ingress and the autoscaler point at the front and its public port only.
        var front = Find(objects, "Deployment", "messaging-front").GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
        var service = Find(objects, "Service", "messaging-front").GetProperty("spec");
        Assert.Equal("http", Assert.Single(service.GetProperty("ports").EnumerateArray()).GetProperty("targetPort").GetString());
        var backend = Find(objects, "Ingress", "messaging-front").GetProperty("spec").GetProperty("rules")[0].GetProperty("http").GetProperty("paths")[0].GetProperty("backend").GetProperty("service");
        Assert.Equal("messaging-front", backend.GetProperty("name").GetString());
        Assert.Equal("messaging-front", Find(objects, "HorizontalPodAutoscaler", "messaging-front").GetProperty("spec").GetProperty("scaleTargetRef").GetProperty("name").GetString());
        Assert.NotEqual(Port(front, "http"), Port(front, "metrics"));

        var dashboard = Find(objects, "ConfigMap", "messaging-grafana-dashboard").GetProperty("data").GetProperty("grafana-dashboard.json").GetString()!;
        foreach (var metric in new[] { "messaging_connections_active", "messaging_fanout_latency_milliseconds_bucket", "messaging_commit_batch_messages_bucket", "messaging_storage_duration_milliseconds_bucket" })
        {
            Assert.Contains(metric, dashboard, StringComparison.Ordinal);
        }

        if (overlay == "dev")
        {
            // Membership must survive a Redis restart: the dev Redis keeps an append-only file on a volume.
            var redis = Find(objects, "StatefulSet", "redis").GetProperty("spec");
            var args = redis.GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal("yes", args[args.IndexOf("--appendonly") + 1]);
            Assert.Equal("data", redis.GetProperty("volumeClaimTemplates")[0].GetProperty("metadata").GetProperty("name").GetString());
            Find(objects, "StatefulSet", "postgres");
        }
    }

    [Fact]
    public async Task The_silo_and_front_started_with_the_rendered_environment_answer_their_probes()
    {
        var objects = await RenderAsync("dev");
        var config = Find(objects, "ConfigMap", "messaging-config").GetProperty("data");
        var database = await servers.NewDatabaseAsync();
        var secrets = new Dictionary<string, string>
        {
            ["redis"] = servers.Redis.ConnectionString,
            ["postgres"] = database,
            ["jwt-signing-key"] = Tokens.SigningKey,
            ["dashboard-password"] = "a-long-operator-password",
        };

        var silo = Find(objects, "Deployment", "messaging-silo").GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
        var front = Find(objects, "Deployment", "messaging-front").GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
        var clusterId = $"k8s-{Guid.NewGuid():N}";

        // As the kubelet would: the rendered variables, secrets filled in, the pod IP on loopback.
        Dictionary<string, string> Resolve(JsonElement container)
        {
            var resolved = new Dictionary<string, string>();
            foreach (var (setting, value) in Environment(container, config))
            {
                resolved[setting] = value.Secret is { } secret ? secrets[secret.Key] : value.FieldPath is not null ? "127.0.0.1" : value.Value!;
            }

            resolved["Orleans__ClusterId"] = clusterId;
            resolved["Orleans__ServiceId"] = clusterId;
            resolved["Urls"] = resolved["Urls"].Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
            return resolved;
        }

        await using var siloProcess = PlatformProcess.Start("k8s-silo", Repo.SiloDll, Resolve(silo));
        await AssertProbesAsync(siloProcess, silo);
        await using var frontProcess = PlatformProcess.Start("k8s-front", Repo.WebFrontDll, Resolve(front));
        await AssertProbesAsync(frontProcess, front);

        // /metrics answers on the front's metrics port and not on its public one.
        var metricsPort = Port(front, "metrics");
        var publicPort = Port(front, "http");
        using (var metrics = await Http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics")))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }

        using (var hidden = await Http.GetAsync(new Uri($"http://127.0.0.1:{publicPort}/metrics")))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }
    }

    private static async Task AssertProbesAsync(PlatformProcess process, JsonElement container)
    {
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            var get = container.GetProperty(probe).GetProperty("httpGet");
            var uri = new Uri($"http://127.0.0.1:{Port(container, get.GetProperty("port").GetString()!)}{get.GetProperty("path").GetString()}");
            await process.WaitForHttpOkAsync(uri, TimeSpan.FromSeconds(90));
        }
    }

    private static async Task<JsonElement[]> RenderAsync(string overlay)
    {
        var folder = Directory.CreateTempSubdirectory("msg-k8s-").FullName;
        try
        {
            var yaml = Path.Combine(folder, "rendered.yaml");
            var json = Path.Combine(folder, "rendered.json");
            var rendered = await Shell.RunAsync("kubectl", ["kustomize", Path.Combine(Repo.Root, "k8s", "overlays", overlay)]);
            await File.WriteAllTextAsync(yaml, rendered);
            await Shell.RunAsync("node", [Path.Combine(Repo.Root, "k8s", "validate", "validate.mjs"), yaml, json]);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string? Kind(JsonElement o) => o.GetProperty("kind").GetString();

    private static string? Name(JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString();

    private static JsonElement Find(JsonElement[] objects, string kind, string name) =>
        objects.SingleOrDefault(o => Kind(o) == kind && Name(o) == name) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new Xunit.Sdk.XunitException($"{kind}/{name} is not in the rendered manifests");

    private static int Port(JsonElement container, string name) =>
        container.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("containerPort").GetInt32();

    /// <summary>A container's variables: the ConfigMap it loads, then its own env (which wins, as in Kubernetes).</summary>
    private static Dictionary<string, EnvValue> Environment(JsonElement container, JsonElement config)
    {
        var env = new Dictionary<string, EnvValue>(StringComparer.Ordinal);
        foreach (var source in container.GetProperty("envFrom").EnumerateArray())
        {
            Assert.Equal("messaging-config", source.GetProperty("configMapRef").GetProperty("name").GetString());
            foreach (var item in config.EnumerateObject())
            {
                env[item.Name] = new EnvValue(item.Value.GetString(), null, null);
            }
        }

        foreach (var item in container.GetProperty("env").EnumerateArray())
        {
            var name = item.GetProperty("name").GetString()!;
            if (item.TryGetProperty("value", out var value))
            {
                env[name] = new EnvValue(value.GetString(), null, null);
                continue;
            }

            var from = item.GetProperty("valueFrom");
            env[name] = from.TryGetProperty("secretKeyRef", out var secret)
                ? new EnvValue(null, (secret.GetProperty("name").GetString()!, secret.GetProperty("key").GetString()!), null)
                : new EnvValue(null, null, from.GetProperty("fieldRef").GetProperty("fieldPath").GetString());
        }

        return env;
    }

    private sealed record EnvValue(string? Value, (string Name, string Key)? Secret, string? FieldPath);
}
