namespace Butterfly.Storage.Internal;

/// <summary>Which of accounts, aliases and lists holds an address: one address has one owner.</summary>
internal static class AddressRows
{
    private const string OwnerSql =
        "SELECT 'an account' FROM accounts WHERE address = $a AND $skip = 0 "
        + "UNION ALL SELECT 'an alias' FROM aliases WHERE address = $a "
        + "UNION ALL SELECT 'a list' FROM lists WHERE address = $a "
        + "UNION ALL SELECT 'a script address' FROM script_addresses WHERE address = $a LIMIT 1";

    /// <summary>What holds <paramref name="address"/> (normalized): "an account", "an alias", "a list", "a script address", or null.</summary>
    public static string? OwnerOf(WriterContext context, string address, bool skipAccounts = false) =>
        context.Command(OwnerSql).Bind("$a", address).Bind("$skip", skipAccounts ? 1 : 0).ExecuteScalar() as string;
}
