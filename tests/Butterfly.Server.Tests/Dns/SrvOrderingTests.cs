using Butterfly.Server.Dns;
using Butterfly.Server.Dns.Internal;

namespace Butterfly.Server.Tests.Dns;

public sealed class SrvOrderingTests
{
    [Fact]
    public void Order_MixedPriorities_LowestPriorityFirstAndNothingLost()
    {
        SrvRecord[] records = [Srv(30, 1, "c"), Srv(10, 0, "a1"), Srv(20, 5, "b"), Srv(10, 9, "a2")];

        var ordered = SrvOrdering.Order(records, new Random(1));

        Assert.Equal([10, 10, 20, 30], ordered.Select(r => r.Priority));
        Assert.Equal(records.Select(r => r.Target).Order(), ordered.Select(r => r.Target).Order());
    }

    [Fact]
    public void Order_UnequalWeights_HeavierUsuallyFirst()
    {
        SrvRecord[] records = [Srv(10, 1, "light"), Srv(10, 99, "heavy")];
        var random = new Random(12345);

        var heavyFirst = Enumerable.Range(0, 1000).Count(_ => SrvOrdering.Order(records, random)[0].Target == "heavy");

        // Expected about 980 of 1000; the seed makes the count fixed, the bounds say what it should be near.
        Assert.InRange(heavyFirst, 950, 1000);
    }

    [Fact]
    public void Order_EqualWeights_EachSometimesFirst()
    {
        SrvRecord[] records = [Srv(10, 50, "x"), Srv(10, 50, "y")];
        var random = new Random(7);

        var xFirst = Enumerable.Range(0, 1000).Count(_ => SrvOrdering.Order(records, random)[0].Target == "x");

        Assert.InRange(xFirst, 400, 600);
    }

    private static SrvRecord Srv(int priority, int weight, string target) => new(priority, weight, 7410, target);
}
