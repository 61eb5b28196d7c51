using Npgsql;

namespace Butterfly.Storage.Postgres.Tests;

/// <summary>
/// The store's pool prepares its statements and skips the reset of returned connections (a round trip per
/// connection taken), unless the operator's connection string says otherwise.
/// </summary>
public sealed class PostgresConnectionTuningTests
{
    [Fact]
    public void Tuned_NothingSaid_PreparesAutomaticallyAndSkipsTheReset()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresMailStore.Tuned("Host=db;Database=mail;Username=butterfly;Password=secret"));

        Assert.Equal((100, 2, true), (tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages, tuned.NoResetOnClose));
        Assert.Equal(("db", "mail", "secret"), (tuned.Host, tuned.Database, tuned.Password));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;Auto Prepare Min Usages=5;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;AUTOPREPAREMINUSAGES=5;NoResetOnClose=false")]
    public void Tuned_OperatorSaidOtherwise_KeepsTheOperatorsValues(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresMailStore.Tuned(connectionString));

        Assert.Equal((0, 5, false), (tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages, tuned.NoResetOnClose));
    }
}
