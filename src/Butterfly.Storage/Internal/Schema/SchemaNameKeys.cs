using System.Text;

namespace Butterfly.Storage.Internal;

/// <summary>
/// Accounts gain <c>address_key</c>, the folded form two addresses are the same address by
/// (<see cref="NameRules.AddressKey"/>), unique, so <c>ａlice</c> (fullwidth) cannot be created beside
/// <c>alice</c>. Existing accounts get their keys in id order; an account whose key an older one
/// holds already keeps a null key and is found by its exact address only. Folder names not in NFC
/// are rewritten in NFC unless that name is taken. Runs inside the migration's transaction.
/// </summary>
internal static class SchemaNameKeys
{
    public static void Apply(SqliteSession session)
    {
        session.Execute("ALTER TABLE accounts ADD COLUMN address_key TEXT");
        var accounts = new List<(long Id, string Address)>();
        using (var reader = session.Command("SELECT id, address FROM accounts ORDER BY id").ExecuteReader())
        {
            while (reader.Read())
            {
                accounts.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, address) in accounts)
        {
            var key = KeyOf(address);
            if (key is not null && taken.Add(key))
            {
                session.Command("UPDATE accounts SET address_key = $k WHERE id = $i").Bind("$k", key).Bind("$i", id).ExecuteNonQuery();
            }
        }

        session.Execute("CREATE UNIQUE INDEX accounts_address_key ON accounts (address_key)");
        NormalizeFolderNames(session);
    }

    // An address stored before the name rules may not be valid Unicode: it gets no key.
    private static string? KeyOf(string address)
    {
        try
        {
            return NameRules.AddressKey(address) ?? NameRules.Fold(address);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void NormalizeFolderNames(SqliteSession session)
    {
        var folders = new List<(long Id, long Account, string Name)>();
        using (var reader = session.Command("SELECT id, account_id, name FROM folders ORDER BY id").ExecuteReader())
        {
            while (reader.Read())
            {
                var name = reader.GetString(2);
                if (name.Normalize(NormalizationForm.FormC) is var nfc && !string.Equals(nfc, name, StringComparison.Ordinal))
                {
                    folders.Add((reader.GetInt64(0), reader.GetInt64(1), name));
                }
            }
        }

        foreach (var (id, account, name) in folders)
        {
            session.Command("UPDATE folders SET name = $n WHERE id = $i AND NOT EXISTS (SELECT 1 FROM folders WHERE account_id = $a AND name = $n)")
                .Bind("$n", name.Normalize(NormalizationForm.FormC)).Bind("$i", id).Bind("$a", account).ExecuteNonQuery();
        }
    }
}
