using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Butterfly.TestUtilities;

/// <summary>
/// A private Postfix (Debian's <c>postfix</c> package) for one test: its own configuration, queue
/// and data folders in a temp folder, its SMTP server on 127.0.0.1 at a free port, its log in a
/// file of its own. Postfix's <c>master</c> runs in the foreground as a child of the test
/// (<c>master -d</c>) and is stopped by its process id. Postfix cannot listen on port 0, so a port
/// the OS just handed out is given to it, and another is tried when it is taken in between.
/// Running Postfix needs root (CI runs the tests as root): without it the start fails with a
/// message that says so.
/// </summary>
public sealed partial class PrivatePostfix : IAsyncDisposable
{
    private const string Master = "/usr/lib/postfix/sbin/master";
    private const int Attempts = 5;

    // Postfix's daemons without chroot (the temp folder holds no chroot jail), and postlogd,
    // which writes maillog_file.
    private const string Services = """
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        tlsmgr    unix  -       -       n       1000?   1       tlsmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        proxywrite unix -       -       n       -       1       proxymap
        smtp      unix  -       -       n       -       -       smtp
        relay     unix  -       -       n       -       -       smtp
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        local     unix  -       n       n       -       -       local
        virtual   unix  -       n       n       -       -       virtual
        lmtp      unix  -       -       n       -       -       lmtp
        anvil     unix  -       -       n       -       1       anvil
        scache    unix  -       -       n       -       1       scache
        postlog   unix-dgram n  -       n       -       1       postlogd

        """;

    private readonly TempDirectory _folder;
    private readonly PostfixSettings _settings;
    private readonly StringBuilder _output = new();
    private Process? _master;

    private PrivatePostfix(TempDirectory folder, PostfixSettings settings)
    {
        _folder = folder;
        _settings = settings;
    }

    /// <summary>The address its SMTP server listens on (always 127.0.0.1).</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port its SMTP server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Its configuration folder (<c>main.cf</c>, <c>master.cf</c>, the maps): <c>postfix -c</c> takes it.</summary>
    public string ConfigDirectory => _folder.Combine("etc");

    /// <summary>The folder everything of this instance lives in.</summary>
    public string Folder => _folder.Path;

    /// <summary>The log file (Postfix's <c>maillog_file</c>).</summary>
    public string LogFile => _folder.Combine("maillog");

    /// <summary>The process id of Postfix's master.</summary>
    public int MasterId => _master?.Id ?? 0;

    /// <summary>Everything Postfix has logged so far.</summary>
    public string Log
    {
        get
        {
            try
            {
                using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return reader.ReadToEnd();
            }
            catch (FileNotFoundException)
            {
                return string.Empty;
            }
        }
    }

    /// <summary>Starts a private Postfix with <paramref name="settings"/> and returns once its SMTP server accepts connections.</summary>
    /// <exception cref="InvalidOperationException">Postfix is not installed, the test is not root, or it would not start (the message holds its log).</exception>
    public static async Task<PrivatePostfix> StartAsync(PostfixSettings? settings = null)
    {
        if (!File.Exists(Master))
        {
            throw new InvalidOperationException(
                $"This test runs a private Postfix and needs Debian's postfix package ({Master} is missing): apt-get install postfix (.ci/run installs it).");
        }

        if (GetEuid() != 0)
        {
            throw new InvalidOperationException("This test runs a private Postfix, which must be started as root (CI runs the tests as root).");
        }

        var postfix = new PrivatePostfix(new TempDirectory("postfix"), settings ?? new PostfixSettings());
        try
        {
            await postfix.StartMasterAsync();
            return postfix;
        }
        catch
        {
            await postfix.DisposeAsync();
            throw;
        }
    }

    /// <summary>Replaces the transport map (and relay domains) and has Postfix read it again (a reload).</summary>
    /// <param name="transports">domain → nexthop, as <see cref="PostfixSettings.Transports"/>.</param>
    public async Task SetTransportsAsync(IReadOnlyDictionary<string, string> transports)
    {
        _settings.Transports.Clear();
        foreach (var (domain, nexthop) in transports)
        {
            _settings.Transports[domain] = nexthop;
        }

        WriteConfiguration();
        await ReloadAsync();
    }

    /// <summary>Has Postfix read its configuration again (<c>postfix reload</c>), then asks for a queue run.</summary>
    public async Task ReloadAsync()
    {
        await RunPostfixAsync("/usr/sbin/postfix", "-c", ConfigDirectory, "reload");
        await FlushAsync();
    }

    /// <summary>Asks Postfix to try every deferred message now (<c>postqueue -f</c>).</summary>
    public Task FlushAsync() => RunPostfixAsync("/usr/sbin/postqueue", "-c", ConfigDirectory, "-f");

    /// <summary>The queue listing (<c>postqueue -p</c>).</summary>
    public Task<string> QueueAsync() => RunPostfixAsync("/usr/sbin/postqueue", "-c", ConfigDirectory, "-p");

    /// <summary>Waits until the log holds a line containing <paramref name="text"/>; returns that line.</summary>
    /// <param name="text">The text to wait for, e.g. <c>status=sent</c>.</param>
    /// <param name="within">The deadline; <see cref="Eventually.DefaultDeadline"/> when null.</param>
    /// <exception cref="TimeoutException">Not logged in time (the message holds the log).</exception>
    public Task<string> WaitForLogAsync(string text, TimeSpan? within = null) =>
        WaitForLogAsync(line => line.Contains(text, StringComparison.Ordinal), $"Postfix logs \"{text}\"", within);

    /// <summary>Waits until the log holds a line that <paramref name="match"/> accepts; returns that line.</summary>
    /// <param name="match">The test for a line.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="within">The deadline; <see cref="Eventually.DefaultDeadline"/> when null.</param>
    /// <exception cref="TimeoutException">Not logged in time (the message holds the log).</exception>
    public async Task<string> WaitForLogAsync(Func<string, bool> match, string what, TimeSpan? within = null)
    {
        string? found = null;
        try
        {
            await Eventually.TrueAsync(
                () => (found = Log.Split('\n').FirstOrDefault(match)) is not null, what, within);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nPostfix's log:\n{Log}", ex);
        }

        return found!;
    }

    /// <summary>The messages Postfix has delivered for <paramref name="domain"/> (one of <see cref="PostfixSettings.MailboxDomains"/>), oldest first: the files of its Maildir.</summary>
    /// <param name="domain">The mailbox domain.</param>
    public IReadOnlyList<string> Delivered(string domain)
    {
        var folder = Path.Combine(_folder.Combine("mail"), domain.ToLowerInvariant(), "new");
        return Directory.Exists(folder)
            ? [.. new DirectoryInfo(folder).GetFiles().OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).Select(f => f.FullName)]
            : [];
    }

    /// <summary>Stops Postfix (SIGTERM to its master, by process id), waits for the exit, and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopMasterAsync();
        _folder.Dispose();
    }

    private async Task StartMasterAsync()
    {
        Directory.CreateDirectory(ConfigDirectory);
        Directory.CreateDirectory(_folder.Combine("queue"));
        var (uid, gid) = (await IdAsync("-u"), await IdAsync("-g"));
        foreach (var owned in new[] { "data", "mail" })
        {
            Directory.CreateDirectory(_folder.Combine(owned));
            await RunPostfixAsync("/bin/chown", $"{uid}:{gid}", _folder.Combine(owned));
        }

        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            WriteConfiguration(uid, gid);

            // post-install creates the queue's folders with their owners and modes.
            await RunPostfixAsync("/usr/sbin/postfix", "-c", ConfigDirectory, "check");
            var info = new ProcessStartInfo(Master) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-c", ConfigDirectory, "-d" })
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["MAIL_CONFIG"] = ConfigDirectory;
            _master = new Process { StartInfo = info };
            _master.OutputDataReceived += (_, e) => OnOutput(e.Data);
            _master.ErrorDataReceived += (_, e) => OnOutput(e.Data);
            _master.Start();
            _master.BeginOutputReadLine();
            _master.BeginErrorReadLine();
            if (await ListeningAsync())
            {
                return;
            }

            var log = Log;
            await StopMasterAsync();
            if (attempt == Attempts || !log.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The private Postfix did not start listening on {Host}:{Port}.\nmaster:\n{Output()}\nlog:\n{log}");
            }
        }
    }

    // Until the port answers, or the master has exited (a port taken in between makes it exit).
    private async Task<bool> ListeningAsync()
    {
        var listening = false;
        try
        {
            await Eventually.TrueAsync(async () => _master!.HasExited || (listening = await AnswersAsync()), $"the private Postfix answers on {Host}:{Port}");
        }
        catch (TimeoutException)
        {
            // The caller reports the master's output and log.
        }

        return listening;
    }

    private async Task<bool> AnswersAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(Host, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void WriteConfiguration(string? uid = null, string? gid = null)
    {
        var mainPath = Path.Combine(ConfigDirectory, "main.cf");
        if (uid is null && File.Exists(mainPath))
        {
            // A rewrite keeps the owner the first write found.
            var existing = File.ReadAllLines(mainPath);
            uid = existing.First(l => l.StartsWith("virtual_uid_maps", StringComparison.Ordinal)).Split(':')[1].Trim();
            gid = existing.First(l => l.StartsWith("virtual_gid_maps", StringComparison.Ordinal)).Split(':')[1].Trim();
        }

        var etc = ConfigDirectory;
        var main = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["compatibility_level"] = "3.6",
            ["queue_directory"] = _folder.Combine("queue"),
            ["data_directory"] = _folder.Combine("data"),
            ["command_directory"] = "/usr/sbin",
            ["daemon_directory"] = "/usr/lib/postfix/sbin",
            ["meta_directory"] = "/etc/postfix",
            ["shlib_directory"] = "/usr/lib/postfix",
            ["mail_owner"] = "postfix",
            ["setgid_group"] = "postdrop",
            ["maillog_file"] = LogFile,
            ["maillog_file_prefixes"] = _folder.Path,
            ["myhostname"] = "postfix.test",
            ["mydomain"] = "postfix.test",
            ["myorigin"] = "postfix.test",
            ["mydestination"] = string.Empty,
            ["inet_interfaces"] = "127.0.0.1",
            ["inet_protocols"] = "ipv4",
            ["mynetworks"] = "127.0.0.0/8",
            ["alias_maps"] = string.Empty,
            ["alias_database"] = string.Empty,
            ["local_recipient_maps"] = string.Empty,
            ["biff"] = "no",
            ["smtpd_peername_lookup"] = "no",
            ["smtpd_relay_restrictions"] = "permit_mynetworks, reject_unauth_destination",

            // Nothing here may reach the internet: nexthops are IP literals in brackets.
            ["smtp_dns_support_level"] = "disabled",
            ["smtp_host_lookup"] = "native",

            // A test waits seconds, not minutes, for a retry.
            ["queue_run_delay"] = "1s",
            ["minimal_backoff_time"] = "1s",
            ["maximal_backoff_time"] = "2s",
            ["relay_domains"] = string.Join(", ", _settings.Transports.Keys),
            ["transport_maps"] = $"texthash:{etc}/transport",
            ["virtual_mailbox_domains"] = string.Join(", ", _settings.MailboxDomains),
            ["virtual_mailbox_base"] = _folder.Combine("mail"),
            ["virtual_mailbox_maps"] = $"texthash:{etc}/vmailbox",
            ["virtual_uid_maps"] = $"static:{uid}",
            ["virtual_gid_maps"] = $"static:{gid}",
        };
        if (_settings.MessageSizeLimit is { } limit)
        {
            main["message_size_limit"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        if (_settings.ServerTls is var (certificate, key))
        {
            main["smtpd_tls_cert_file"] = certificate;
            main["smtpd_tls_key_file"] = key;
            main["smtpd_tls_security_level"] = "may";
        }

        foreach (var (name, value) in _settings.Main)
        {
            main[name] = value;
        }

        File.WriteAllLines(mainPath, main.Select(p => $"{p.Key} = {p.Value}"));
        File.WriteAllText(
            Path.Combine(etc, "master.cf"),
            $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)} inet n - n - - smtpd\n" + Services);
        File.WriteAllLines(Path.Combine(etc, "transport"), _settings.Transports.Select(t => $"{t.Key} {Nexthop(t.Value)}"));
        File.WriteAllLines(Path.Combine(etc, "vmailbox"), _settings.MailboxDomains.Select(d => $"@{d} {d.ToLowerInvariant()}/"));
    }

    // host:port → smtp:[host]:port; anything already naming a transport is taken as it is.
    private static string Nexthop(string target)
    {
        if (NexthopWithTransport().IsMatch(target))
        {
            return target;
        }

        var colon = target.LastIndexOf(':');
        return colon < 0 ? $"smtp:[{target}]" : $"smtp:[{target[..colon]}]{target[colon..]}";
    }

    private async Task StopMasterAsync()
    {
        var master = _master;
        _master = null;
        if (master is null)
        {
            return;
        }

        try
        {
            if (!master.HasExited)
            {
                // master stops its children on SIGTERM and exits.
                _ = SysKill(master.Id, 15);
                try
                {
                    await master.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (TimeoutException)
                {
                    master.Kill(entireProcessTree: true);
                    await master.WaitForExitAsync();
                }
            }
        }
        finally
        {
            master.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> IdAsync(string which) =>
        (await RunPostfixAsync("/usr/bin/id", which, "postfix")).Trim();

    private static async Task<string> RunPostfixAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }

        return await output;
    }

    private void OnOutput(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(smtp|lmtp|relay|error|retry|discard|local|virtual):")]
    private static partial System.Text.RegularExpressions.Regex NexthopWithTransport();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
