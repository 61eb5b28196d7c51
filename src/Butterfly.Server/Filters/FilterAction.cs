namespace Butterfly.Server.Filters;

/// <summary>What the filter chain decided for the message as a whole.</summary>
internal enum FilterAction
{
    /// <summary>Deliver (possibly changed, refiled or with other recipients).</summary>
    Accept,

    /// <summary>Refuse permanently; the code and reason reach the sender.</summary>
    Reject,

    /// <summary>No decision now (a filter asked, or was absent, slow or crashed under the tempfail policy): hold and try again.</summary>
    TempFail,

    /// <summary>Accept and drop silently.</summary>
    Discard,
}
