namespace Butterfly.Storage;

/// <summary>Where an account's storage quota comes from.</summary>
public enum QuotaSetting
{
    /// <summary>The default quota (<see cref="StoreOptions.DefaultQuotaBytes"/>).</summary>
    Default,

    /// <summary>A quota set for this account.</summary>
    Account,

    /// <summary>No quota for this account, whatever the default.</summary>
    Unlimited,
}
