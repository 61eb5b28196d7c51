using Butterfly.Cli.Commands;
using Butterfly.Client;

namespace Butterfly.Cli.Mail;

/// <summary>Opens a client connection from the connection options and the environment.</summary>
internal static class MailConnection
{
    /// <summary>The server address from <c>--server</c>, <c>BUTTERFLY_SERVER</c> or the default.</summary>
    /// <exception cref="UsageException">The address cannot be parsed.</exception>
    public static ButterflyEndpoint Endpoint(CommandContext context, ConnectionArgs args)
    {
        var text = args.Server ?? context.Environment("BUTTERFLY_SERVER") ?? CommonOptions.DefaultServer;
        if (!ButterflyEndpoint.TryParse(text, out var endpoint))
        {
            throw new UsageException($"'{text}' is not a server address (HOST:PORT).");
        }

        return endpoint;
    }

    /// <summary>The account from <c>--user</c> or <c>BUTTERFLY_USER</c>.</summary>
    /// <exception cref="UsageException">Neither is set.</exception>
    public static string User(CommandContext context, ConnectionArgs args) =>
        args.User ?? context.Environment("BUTTERFLY_USER")
        ?? throw new UsageException("no account given: use --user ADDRESS or set BUTTERFLY_USER.");

    /// <summary>Connects without logging in.</summary>
    public static Task<ButterflyClient> ConnectAsync(CommandContext context, ConnectionArgs args)
    {
        var endpoint = Endpoint(context, args);
        return ButterflyClient.ConnectAsync(endpoint.Host, endpoint.Port, null, context.CancellationToken);
    }

    /// <summary>Reads the account and password, connects and logs in.</summary>
    public static async Task<ButterflyClient> LoginAsync(CommandContext context, ConnectionArgs args) =>
        (await LoginWithPasswordAsync(context, args)).Client;

    /// <summary>
    /// Reads the account and password, connects and logs in; the client reconnects, logs in again and
    /// retries a send with the same submission id when the connection is lost (protocol/client.md,
    /// "Submission ids").
    /// </summary>
    public static async Task<ReconnectingClient> LoginReconnectingAsync(CommandContext context, ConnectionArgs args)
    {
        var (client, user, password) = await LoginWithPasswordAsync(context, args);
        return new ReconnectingClient(client, _ => ConnectAsync(context, args), user, password);
    }

    private static async Task<(ButterflyClient Client, string User, string Password)> LoginWithPasswordAsync(CommandContext context, ConnectionArgs args)
    {
        var user = User(context, args);
        var password = await PasswordReader.ReadAsync(context, PasswordSource.Client(args), $"Password for {user}: ");
        var client = await ConnectAsync(context, args);
        try
        {
            await client.LoginAsync(user, password, context.CancellationToken);
            return (client, user, password);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
