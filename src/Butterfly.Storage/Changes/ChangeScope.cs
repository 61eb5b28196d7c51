using Microsoft.Data.Sqlite;
using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>
/// What a "changes since" query covers: an account, or one of its folders (<see cref="FolderId"/> not 0),
/// after a state. Gives the SQL that narrows to it and binds its parameters (<c>$a</c>, <c>$s</c>, <c>$f</c>).
/// </summary>
internal readonly record struct ChangeScope(long AccountId, long FolderId, long Since)
{
    /// <summary>The folders that changed after <c>$s</c> (only the one, for a folder), as a subquery.</summary>
    public string Folders => FolderId == 0
        ? "SELECT id FROM folders WHERE account_id = $a AND modseq > $s"
        : "SELECT id FROM folders WHERE account_id = $a AND modseq > $s AND id = $f";

    /// <summary>The condition that narrows <c>folder_changes</c> to the folder (empty for the account).</summary>
    public string Journal => FolderId == 0 ? string.Empty : " AND folder_id = $f";

    /// <summary>Binds the scope's parameters.</summary>
    public SqliteCommand Bind(SqliteCommand command)
    {
        command.Bind("$a", AccountId).Bind("$s", Since);
        return FolderId == 0 ? command : command.Bind("$f", FolderId);
    }
}
