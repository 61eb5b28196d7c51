namespace Butterfly.Server.Commands;

/// <summary>The account a session is logged in as.</summary>
/// <param name="Id">The store's account id; every store call is scoped by it.</param>
/// <param name="Address">The account's address, lower-case.</param>
internal sealed record SessionAccount(long Id, string Address)
{
    private readonly List<byte[]> _tokenHashes = [];

    /// <summary>The hashes of the web session tokens this session logged in with or made (<c>logout</c> revokes them).</summary>
    public IReadOnlyList<byte[]> TokenHashes
    {
        get
        {
            lock (_tokenHashes)
            {
                return [.. _tokenHashes];
            }
        }
    }

    /// <summary>Remembers a token of this session.</summary>
    /// <param name="hash">Its SHA-256.</param>
    public void AddToken(byte[] hash)
    {
        lock (_tokenHashes)
        {
            _tokenHashes.Add(hash);
        }
    }

    /// <summary>Forgets this session's tokens (they were revoked).</summary>
    public void ClearTokens()
    {
        lock (_tokenHashes)
        {
            _tokenHashes.Clear();
        }
    }
}
