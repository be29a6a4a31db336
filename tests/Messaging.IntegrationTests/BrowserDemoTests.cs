using Messaging.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// The demo app in real headless Chromium (Debian's, no browser download) against the standalone
/// process: two users chat, see presence and typing, exchange a DM; one goes offline while the other
/// sends and, back online, shows every missed message once, in order. Bodies render as text only.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BrowserDemoTests : IAsyncLifetime
{
    private static readonly string[] ChromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly string _data = Directory.CreateTempSubdirectory("msg-browser-").FullName;
    private PlatformProcess _front = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _front = await StandaloneFront.StartAsync(_data, Ports.Free());
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumFlags,
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _front.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Two_users_chat_see_presence_and_typing_dm_and_the_one_that_was_offline_misses_nothing()
    {
        var (aliceContext, alice) = await OpenAsync("alice");
        var (bobContext, bob) = await OpenAsync("bob");

        // Presence both ways, then typing and a message.
        await Expect(alice.Locator("#presence")).ToContainTextAsync("bob");
        await Expect(bob.Locator("#presence")).ToContainTextAsync("alice");
        await bob.Locator("#text").PressSequentiallyAsync("hel");
        await Expect(alice.Locator("#typing")).ToHaveTextAsync("bob is typing…");
        await bob.Locator("#text").FillAsync("hello alice");
        await bob.Locator("#text").PressAsync("Enter");
        await Expect(alice.Locator("#messages li").Last).ToContainTextAsync("hello alice");

        // A direct message shows up on the other side with an unread badge.
        await alice.Locator("#dm-user").FillAsync("bob");
        await alice.Locator("#dm-user").PressAsync("Enter");
        await Expect(alice.Locator("#room-title")).ToHaveTextAsync("@bob");
        await alice.Locator("#text").FillAsync("just between us");
        await alice.Locator("#text").PressAsync("Enter");
        var dmButton = bob.Locator("#rooms button[data-room='dm:alice:bob']");
        await Expect(dmButton.Locator("[data-testid=unread]")).ToHaveTextAsync("1");
        await dmButton.ClickAsync();
        await Expect(bob.Locator("#messages")).ToContainTextAsync("just between us");
        await bob.Locator("#rooms button[data-room='lobby']").ClickAsync();
        await alice.Locator("#rooms button[data-room='lobby']").ClickAsync();

        // Bob drops off the network; alice sends; bob comes back and shows each missed message once, in order.
        // The page shows "Reconnecting…" only until the next attempt succeeds, which can be
        // sooner than a locator polls, so the client's own state event is what shows the drop was
        // seen. The socket is dropped while still online: under the offline emulation its close
        // handshake once never finished (no state event in 30 s, in a full run). Offline then
        // comes before the first retry (at least 100 ms later), whose token fetch it fails.
        await bob.EvaluateAsync("() => { window.states = []; window.demo.client.addEventListener('state', e => window.states.push(e.detail.state)); }");
        await bob.EvaluateAsync("() => window.demo.client.dropConnection()");
        await bob.WaitForFunctionAsync("() => window.states.includes('reconnecting')");
        await bobContext.SetOfflineAsync(true);
        var missed = Enumerable.Range(1, 5).Select(i => $"while you were away {i}").ToArray();
        foreach (var text in missed)
        {
            await alice.Locator("#text").FillAsync(text);
            await alice.Locator("#text").PressAsync("Enter");
            await Expect(alice.Locator("#messages li").Last).ToContainTextAsync(text);
        }

        await bobContext.SetOfflineAsync(false);
        await Expect(bob.Locator("#status")).ToHaveTextAsync("Connected as bob", new() { Timeout = 30_000 });
        await Expect(bob.Locator("#messages li").Last).ToContainTextAsync(missed[^1], new() { Timeout = 30_000 });
        await Expect(alice.Locator("#presence")).ToContainTextAsync("bob");
        await Expect(bob.Locator("#presence")).ToContainTextAsync("alice");
        var texts = await bob.Locator("#messages li .text").AllTextContentsAsync();
        Assert.Equal(["hello alice", .. missed], texts);
        var seqs = (await bob.Locator("#messages li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.seq)")).Select(long.Parse).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());

        var artifacts = Path.Combine(Repo.Root, "TestResults", "browser");
        Directory.CreateDirectory(artifacts);
        await Expect(alice.Locator("#login")).ToBeHiddenAsync();
        await alice.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "chat.png"), FullPage = true });
        await aliceContext.CloseAsync();
        await bobContext.CloseAsync();
    }

    [Fact]
    public async Task A_body_with_html_and_script_shows_as_text_and_runs_nothing()
    {
        var (aliceContext, alice) = await OpenAsync("mallory");
        var (bobContext, bob) = await OpenAsync("victim");
        const string attack = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script><b>bold</b>";

        await alice.Locator("#text").FillAsync(attack);
        await alice.Locator("#text").PressAsync("Enter");

        var last = bob.Locator("#messages li").Last.Locator(".text");
        await Expect(last).ToHaveTextAsync(attack);
        Assert.Equal(0, await bob.Locator("#messages img, #messages script, #messages b").CountAsync());
        Assert.Null(await bob.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Null(await alice.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        await aliceContext.CloseAsync();
        await bobContext.CloseAsync();
    }

    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync(string user)
    {
        var context = await _browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(_front.BaseUri.ToString());
        await page.Locator("#name").FillAsync(user);
        await page.Locator("#login button[type=submit]").ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync($"Connected as {user}");
        await Expect(page.Locator("#room-title")).ToHaveTextAsync("#lobby");
        return (context, page);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
