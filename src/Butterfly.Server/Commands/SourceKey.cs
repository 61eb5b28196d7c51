using System.Net;
using System.Net.Sockets;

namespace Butterfly.Server.Commands;

/// <summary>
/// Whom a connection comes from, as the abuse limits count it: an IPv4 address, or the /64 prefix
/// of an IPv6 address (one host commonly holds a whole /64, so its addresses are one source).
/// An IPv4-mapped IPv6 address is its IPv4 address.
/// </summary>
internal readonly record struct SourceKey
{
    private readonly UInt128 _value;
    private readonly bool _v6;

    private SourceKey(UInt128 value, bool v6)
    {
        _value = value;
        _v6 = v6;
    }

    /// <summary>The key for connections whose address is unknown (a UNIX socket, a test transport): all of them one source.</summary>
    public static SourceKey Unknown { get; } = new(UInt128.MaxValue, v6: false);

    /// <summary>The key of <paramref name="address"/>.</summary>
    /// <param name="address">The remote address, or null when unknown.</param>
    public static SourceKey Of(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return new SourceKey(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes), v6: false);
        }

        address.TryWriteBytes(bytes, out _);
        var prefix = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        return new SourceKey(prefix, v6: true);
    }

    /// <summary>The key of an endpoint (its address).</summary>
    /// <param name="endPoint">The remote endpoint.</param>
    public static SourceKey Of(EndPoint? endPoint) => Of((endPoint as IPEndPoint)?.Address);

    /// <summary>The key of an address in trace-field form (<c>[127.0.0.1]</c>), as sessions give it to commands.</summary>
    /// <param name="bracketed">The address, with or without brackets.</param>
    public static SourceKey Parse(string bracketed) =>
        IPAddress.TryParse(bracketed.AsSpan().Trim("[]"), out var address) ? Of(address) : Unknown;

    /// <inheritdoc/>
    public override string ToString()
    {
        if (this == Unknown)
        {
            return "unknown";
        }

        if (!_v6)
        {
            Span<byte> v4 = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)_value);
            return new IPAddress(v4).ToString();
        }

        Span<byte> v6 = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(v6, (ulong)_value);
        return new IPAddress(v6) + "/64";
    }
}
