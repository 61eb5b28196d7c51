using System.Collections;

namespace Butterfly.Mime;

/// <summary>The header fields of a message or entity, in order, duplicates kept.</summary>
public sealed class HeaderList : IReadOnlyList<Header>
{
    private readonly Header[] _headers;

    internal HeaderList(Header[] headers) => _headers = headers;

    internal static HeaderList Empty { get; } = new([]);

    /// <summary>The number of fields.</summary>
    public int Count => _headers.Length;

    /// <summary>The field at <paramref name="index"/>.</summary>
    public Header this[int index] => _headers[index];

    /// <summary>The decoded value (<see cref="Header.DecodedValue"/>) of the first field with this name, or null.</summary>
    public string? this[string name] => GetFirst(name)?.DecodedValue;

    /// <summary>The first field with this name (ASCII case-insensitive), or null.</summary>
    public Header? GetFirst(string name)
    {
        foreach (var h in _headers)
        {
            if (h.Is(name))
            {
                return h;
            }
        }

        return null;
    }

    /// <summary>Every field with this name, in order.</summary>
    public IReadOnlyList<Header> GetAll(string name)
    {
        List<Header>? list = null;
        foreach (var h in _headers)
        {
            if (h.Is(name))
            {
                (list ??= []).Add(h);
            }
        }

        return list is null ? [] : list;
    }

    /// <summary>Whether a field with this name is present.</summary>
    public bool Contains(string name) => GetFirst(name) is not null;

    /// <inheritdoc />
    public IEnumerator<Header> GetEnumerator() => ((IEnumerable<Header>)_headers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
