namespace Butterfly.Storage;

/// <summary>Why a store operation did not succeed. Ordinary failures are values, not exceptions.</summary>
public enum StoreError
{
    /// <summary>The operation succeeded.</summary>
    None,

    /// <summary>An account with this address already exists.</summary>
    AccountExists,

    /// <summary>No account has this address or id.</summary>
    AccountNotFound,

    /// <summary>The address is empty, too long, or holds spaces or control characters.</summary>
    AccountInvalidAddress,

    /// <summary>Unknown address or wrong password (the same answer for both).</summary>
    AuthenticationFailed,

    /// <summary>Too many password hashes are waiting already; try again in a moment.</summary>
    Busy,

    /// <summary>The account has no folder with this name.</summary>
    FolderNotFound,

    /// <summary>A folder with this name already exists.</summary>
    FolderExists,

    /// <summary>The folder name breaks the naming rules; the detail says which.</summary>
    FolderInvalidName,

    /// <summary>The folder holds messages or subfolders and the deletion was not recursive.</summary>
    FolderNotEmpty,

    /// <summary>Default folders (Inbox, Drafts, Sent, Trash, Junk) cannot be renamed or deleted.</summary>
    FolderProtected,

    /// <summary>A message id does not exist in the folder.</summary>
    MessageNotFound,

    /// <summary>Only messages flagged as drafts can be replaced.</summary>
    MessageNotDraft,

    /// <summary>The disk of the data folder is full, or too full for new mail; try again once space is freed.</summary>
    StorageFull,

    /// <summary>An account, alias or list has this address already.</summary>
    AddressTaken,

    /// <summary>No alias has this address.</summary>
    AliasNotFound,

    /// <summary>No list has this address (or the account asking does not own it).</summary>
    ListNotFound,

    /// <summary>The address is a member of the list already.</summary>
    ListMemberExists,

    /// <summary>The address is not a member of the list.</summary>
    ListMemberNotFound,

    /// <summary>The state is older than the changes the store keeps (or not one the account has had): resync with a full listing.</summary>
    StateTooOld,

    /// <summary>The address is not on the operator's list of addresses that may have a script (or the account asking does not own it).</summary>
    ScriptNotAllowed,

    /// <summary>The address has no script.</summary>
    ScriptNotFound,

    /// <summary>A script run's commit found the script's state or its message changed since the run began: nothing was changed.</summary>
    ScriptConflict,

    /// <summary>The message would take the account past its storage quota (an import).</summary>
    QuotaExceeded,
}
