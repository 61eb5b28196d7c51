namespace Butterfly.Bench;

/// <summary>How <c>bench ping</c> drives its connections.</summary>
public enum BenchEngine
{
    /// <summary>A lean pipelined loop per socket, so the figure is the server's, not the client library's.</summary>
    Raw,

    /// <summary>One worker per in-flight request through <c>ButterflyClient.RequestAsync</c>.</summary>
    Library,
}
