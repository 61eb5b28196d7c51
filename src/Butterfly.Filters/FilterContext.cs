using System.Text.Json;
using Butterfly.Filters.Internal;

namespace Butterfly.Filters;

/// <summary>Queries a filter may make back to the server (protocol/filter.md, "Queries").</summary>
public sealed class FilterContext
{
    private readonly FilterConnection _connection;

    internal FilterContext(FilterConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Whether <paramref name="address"/> is an account on the server (<c>filter.account</c>).</summary>
    /// <param name="address">The address.</param>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<bool> AccountExistsAsync(string address, CancellationToken ct = default)
    {
        var head = JsonHeads.Write(w =>
        {
            w.WriteString("cmd", "filter.account");
            w.WriteString("address", address);
        });
        using var reply = await _connection.RequestAsync(head, ct);
        return reply.Head.RootElement.TryGetProperty("exists", out var exists) && exists.ValueKind == JsonValueKind.True;
    }

    /// <summary>The server's name, domains and version (<c>filter.server</c>).</summary>
    /// <param name="ct">Cancels the wait.</param>
    public async Task<ServerInfo> GetServerInfoAsync(CancellationToken ct = default)
    {
        var head = JsonHeads.Write(w => w.WriteString("cmd", "filter.server"));
        using var reply = await _connection.RequestAsync(head, ct);
        var root = reply.Head.RootElement;
        var domains = new List<string>();
        if (root.TryGetProperty("domains", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var domain in list.EnumerateArray())
            {
                domains.Add(domain.GetString() ?? string.Empty);
            }
        }

        return new ServerInfo(JsonHeads.String(root, "name") ?? string.Empty, domains, JsonHeads.String(root, "version") ?? string.Empty);
    }
}
