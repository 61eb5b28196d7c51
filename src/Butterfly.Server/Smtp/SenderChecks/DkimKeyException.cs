namespace Butterfly.Server.Smtp.SenderChecks;

/// <summary>A DKIM key could not be had: <see cref="Result"/> is what RFC 8601 records for the signature.</summary>
internal sealed class DkimKeyException : Exception
{
    public DkimKeyException()
        : this("permerror", "no key")
    {
    }

    public DkimKeyException(string message)
        : this("permerror", message)
    {
    }

    public DkimKeyException(string message, Exception inner)
        : base(message, inner) => Result = "permerror";

    public DkimKeyException(string result, string message)
        : base(message) => Result = result;

    /// <summary><c>permerror</c> (no such key, unusable record) or <c>temperror</c> (DNS failed).</summary>
    public string Result { get; } = "permerror";
}
