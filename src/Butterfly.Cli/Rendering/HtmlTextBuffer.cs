using System.Text;

namespace Butterfly.Cli.Rendering;

/// <summary>The text <see cref="HtmlText"/> has produced so far, with the spacing rules in one place.</summary>
internal sealed class HtmlTextBuffer
{
    private readonly StringBuilder _text = new();
    private int _pendingBreaks;

    public void Break(int lines, bool force = false)
    {
        if (_text.Length == 0)
        {
            return;
        }

        _pendingBreaks = force ? _pendingBreaks + lines : Math.Max(_pendingBreaks, lines);
    }

    /// <summary>A space between cells, unless at the start of a line or after one.</summary>
    public void Separate()
    {
        if (_pendingBreaks == 0 && _text.Length > 0 && _text[^1] is not (' ' or '\n'))
        {
            _text.Append(' ');
        }
    }

    public void Append(string text)
    {
        Flush();
        _text.Append(text);
    }

    public void AppendRaw(string text)
    {
        Flush();
        _text.Append(text.ReplaceLineEndings("\n"));
    }

    public void AppendCollapsed(string text)
    {
        var collapsed = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) && c != '\u00a0')
            {
                var atLineStart = collapsed.Length == 0 ? _pendingBreaks > 0 || _text.Length == 0 || _text[^1] is ' ' or '\n' : collapsed[^1] == ' ';
                if (!atLineStart)
                {
                    collapsed.Append(' ');
                }
            }
            else
            {
                collapsed.Append(c);
            }
        }

        if (collapsed.Length > 0)
        {
            Append(collapsed.ToString());
        }
    }

    public bool EndsWith(string text) => _text.Length >= text.Length && _text.ToString(_text.Length - text.Length, text.Length) == text;

    public override string ToString()
    {
        var lines = _text.ToString().Split('\n').Select(l => l.TrimEnd());
        var text = string.Join('\n', lines).Trim('\n');
        return text.Length == 0 ? text : text + "\n";
    }

    private void Flush()
    {
        if (_pendingBreaks == 0)
        {
            return;
        }

        while (_text.Length > 0 && _text[^1] == ' ')
        {
            _text.Length--;
        }

        _text.Append('\n', _pendingBreaks);
        _pendingBreaks = 0;
    }
}
