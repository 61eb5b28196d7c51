using Butterfly.TestUtilities;

namespace Butterfly.Storage.Tests;

/// <summary>A store in a temporary directory with cheap password hashing; disposes both.</summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    private StoreFixture(TempDirectory directory, MailStore store)
    {
        Directory = directory;
        Store = store;
    }

    public TempDirectory Directory { get; }

    public MailStore Store { get; private set; }

    public static StoreOptions Options(TempDirectory directory, int maxBatchSize = 512, int passwordCost = 4) => new()
    {
        DataDirectory = directory.Path,
        PasswordCost = passwordCost,
        AllowWeakPasswordHashingForTests = true,
        MaxBatchSize = maxBatchSize,
    };

    public static async Task<StoreFixture> CreateAsync(int maxBatchSize = 512)
    {
        var directory = new TempDirectory("butterfly-store");
        try
        {
            return new StoreFixture(directory, await MailStore.OpenAsync(Options(directory, maxBatchSize)));
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Opens the store in a folder that holds a database already; the fixture owns the folder from now on.</summary>
    public static async Task<StoreFixture> OpenExistingAsync(TempDirectory directory)
        => new(directory, await MailStore.OpenAsync(Options(directory)));

    /// <summary>Closes the store and opens it again on the same files.</summary>
    public async Task ReopenAsync(int passwordCost = 4)
    {
        await Store.DisposeAsync();
        Store = await MailStore.OpenAsync(Options(Directory, passwordCost: passwordCost));
    }

    public Task<MailStore> OpenSecondAsync() => MailStore.OpenAsync(Options(Directory));

    public async Task<Account> CreateAccountAsync(string address = "alice@example.org", string password = "secret")
    {
        var result = await Store.Accounts.CreateAsync(address, password);
        Assert.True(result.Ok, $"CreateAccountAsync failed: {result.Error}");
        return result.Value!;
    }

    /// <summary>Closes the store, checks the invariants every test must leave intact, deletes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Store.DisposeAsync();
            Database.AssertInvariants(this);
        }
        finally
        {
            Directory.Dispose();
        }
    }
}
