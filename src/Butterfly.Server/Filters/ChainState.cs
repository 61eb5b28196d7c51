using Butterfly.Mime;
using Butterfly.Storage;

namespace Butterfly.Server.Filters;

/// <summary>
/// The message and its delivery decisions as they stand between filters of one chain run
/// (protocol/filter.md, "Order of application").
/// </summary>
internal sealed class ChainState(ReadOnlyMemory<byte> message, IReadOnlyList<string> recipients)
{
    private readonly Dictionary<string, string> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageFlags> _flags = new(StringComparer.Ordinal);
    private readonly List<InjectedMessage> _injections = [];

    private MimeMessage? _parsed;
    private bool _isParsed;

    /// <summary>The message after the edits so far.</summary>
    public ReadOnlyMemory<byte> Message { get; private set; } = message;

    /// <summary>
    /// <see cref="Message"/> parsed, once per version of it: filters that leave the message alone
    /// share one parse. Null when it cannot be parsed within the limits.
    /// </summary>
    public MimeMessage? Parse(ParserOptions parser)
    {
        if (!_isParsed)
        {
            _parsed = MimeMessage.TryParse(Message, parser, out var parsed) == MimeError.None ? parsed : null;
            _isParsed = true;
        }

        return _parsed;
    }

    /// <summary>The envelope recipients after additions and removals so far.</summary>
    public List<string> Recipients { get; } = [.. recipients];

    /// <summary>
    /// Applies one verdict's edits: replace, then header edits, then recipients, folders (quarantine
    /// first, then file-into), flags and injections.
    /// </summary>
    /// <returns>Null when applied; otherwise why the edits cannot be applied.</returns>
    public string? Apply(FilterVerdict verdict, ParserOptions parser)
    {
        var message = verdict.Replace ?? Message;
        if (verdict.Headers.Count > 0)
        {
            var edited = HeaderEditor.Apply(message, verdict.Headers, parser);
            if (edited is null)
            {
                return "header edits on a message that cannot be parsed";
            }

            message = edited;
        }

        if (verdict.Replace is not null || verdict.Headers.Count > 0)
        {
            Message = message;
            _isParsed = false;
        }
        foreach (var address in verdict.Remove)
        {
            Recipients.Remove(address);
        }

        foreach (var address in verdict.Add)
        {
            if (!Recipients.Contains(address, StringComparer.Ordinal))
            {
                Recipients.Add(address);
            }
        }

        if (verdict.Folder is not null)
        {
            SetFolder("*", verdict.Folder);
        }

        foreach (var (recipient, folder) in verdict.File)
        {
            SetFolder(recipient, folder);
        }

        foreach (var (recipient, flags) in verdict.Flags)
        {
            AddFlags(recipient, flags);
        }

        _injections.AddRange(verdict.Inject);
        return null;
    }

    /// <summary>The outcome to hand to the pipeline.</summary>
    public FilterOutcome ToOutcome(FilterAction action, IReadOnlyList<string>? recipients = null) =>
        new(action, null, null, Message, recipients ?? [.. Recipients], new Dictionary<string, string>(_folders), new Dictionary<string, MessageFlags>(_flags), [.. _injections]);

    private void SetFolder(string recipient, string folder)
    {
        // A later decision wins: "*" replaces every earlier per-recipient choice; a recipient's own
        // choice overrides "*" for that recipient. The pipeline looks up the recipient, then "*".
        if (recipient == "*")
        {
            _folders.Clear();
        }

        _folders[recipient] = folder;
    }

    private void AddFlags(string recipient, MessageFlags flags)
    {
        // Flags add up. Each per-recipient entry already holds the "*" flags, so the pipeline's
        // lookup (the recipient, then "*") gives the union.
        if (recipient == "*")
        {
            foreach (var key in _flags.Keys.ToList())
            {
                _flags[key] |= flags;
            }

            _flags["*"] = (_flags.TryGetValue("*", out var all) ? all : MessageFlags.None) | flags;
            return;
        }

        var current = _flags.TryGetValue(recipient, out var existing) ? existing : _flags.GetValueOrDefault("*");
        _flags[recipient] = current | flags;
    }
}
