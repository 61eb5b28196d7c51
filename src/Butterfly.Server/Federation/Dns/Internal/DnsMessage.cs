namespace Butterfly.Server.Federation.Dns.Internal;

/// <summary>A parsed DNS reply. <see cref="Error"/> is set when some part after the header could not be read.</summary>
internal sealed class DnsMessage
{
    public ushort Id { get; init; }

    public ushort Flags { get; init; }

    public int QuestionCount { get; init; }

    /// <summary>QR: the message is a response.</summary>
    public bool IsResponse => (Flags & 0x8000) != 0;

    /// <summary>TC: the reply was cut to fit a datagram; ask again over TCP (RFC 1035 §4.2.1, RFC 7766).</summary>
    public bool IsTruncated => (Flags & 0x0200) != 0;

    public DnsResponseCode ResponseCode => (DnsResponseCode)(Flags & 0x000F);

    /// <summary>The question's name, or null when the message has no readable question.</summary>
    public string? QuestionName { get; set; }

    public DnsRecordType QuestionType { get; set; }

    public ushort QuestionClass { get; set; }

    public List<DnsResourceRecord> Answers { get; } = [];

    public List<DnsResourceRecord> Authorities { get; } = [];

    /// <summary>Why the message is malformed, or null.</summary>
    public string? Error { get; set; }
}
