using System.Text.Json.Nodes;
using Butterfly.TestUtilities;
using Xunit.Abstractions;
using static Butterfly.Server.Tests.Federation.QueueNetwork;

namespace Butterfly.Server.Tests.Federation;

/// <summary>
/// Exactly once over a connection that breaks: a.example reaches b.example through a
/// <see cref="CuttingProxy"/> that cuts the delivery at each point of its exchange. Whether or not
/// the receiver committed before the cut, the retry under the same delivery id leaves one copy.
/// </summary>
public sealed class QueueProxyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Deliver_ConnectionCutAtEachPointOfTheExchange_RecipientHasExactlyOneCopyEachTime()
    {
        using var directory = new TempDirectory("butterfly-queue-proxy");
        CuttingProxy? proxy = null;
        try
        {
            await using var network = await StartAsync(directory, QueueSection(retrySeconds: 0.2), (domain, json) =>
            {
                if (domain == A)
                {
                    // a.example reaches b.example only through the proxy; b.example's callback to a.example is direct.
                    var peer = (JsonObject)json["peers"]![B]!;
                    proxy = CuttingProxy.Start(peer["address"]!.GetValue<string>());
                    peer["address"] = proxy.EndPoint;

                    // HoldReply keeps b.example's answer from a.example for good: a.example gives the
                    // request up after this and tries again, and b.example answers the repeat from its record.
                    var federation = json["federation"] as JsonObject ?? [];
                    federation["requestTimeoutSeconds"] = 3;
                    json["federation"] = federation;
                }
            });
            var points = Enum.GetValues<CutPoint>();
            await using var alice = await LoginAsync(network[A], Alice);
            foreach (var point in points)
            {
                var fired = proxy!.Arm(point, "peer.deliver");
                var subject = "cut-" + point;
                Assert.Equal("queued", Assert.Single(await SendAsync(alice, subject, Bob)).Status);
                await fired.WaitAsync(TimeSpan.FromSeconds(30));
                await WaitForFolderAsync(network[B], Bob, s => s.ContainsKey(subject), $"bob has {subject}");
                await WaitForEmptyQueueAsync(network.ConfigOf(A));
                output.WriteLine($"{point}: delivered; proxy connections so far {proxy.Connections}");
            }

            await using var bob = await LoginAsync(network[B], Bob);
            var inbox = await SubjectsAsync(bob);
            Assert.Equal(points.Length, inbox.Count);
            Assert.All(points, p => Assert.Equal(1, inbox.GetValueOrDefault("cut-" + p)));

            // Nothing failed for good, so the sender has no bounce.
            Assert.Empty(await SubjectsAsync(alice));
        }
        finally
        {
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }
        }
    }
}
