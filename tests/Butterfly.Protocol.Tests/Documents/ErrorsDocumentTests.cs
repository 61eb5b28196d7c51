using Butterfly.Protocol.Errors;
using Butterfly.Protocol.Tests.Support;
using Xunit;

namespace Butterfly.Protocol.Tests.Documents;

/// <summary>protocol/errors.md lists exactly the rows of <see cref="ErrorCodes"/>.</summary>
public sealed class ErrorsDocumentTests
{
    private static readonly IReadOnlyList<ErrorTableRow> _rows =
        ErrorsDocument.ParseTable(File.ReadAllText(RepoPaths.ErrorsDocument));

    [Fact]
    public void ErrorsTable_Codes_MatchErrorCodesAllInOrder()
    {
        Assert.Equal(ErrorCodes.All.Select(c => c.ToWire()), _rows.Select(r => r.Code));
    }

    [Fact]
    public void ErrorsTable_Codes_AreUnique()
    {
        Assert.Equal(_rows.Count, _rows.Select(r => r.Code).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ErrorsTable_EveryRow_KindMatchesClosesConnection()
    {
        foreach (var row in _rows)
        {
            Assert.True(ErrorCodes.TryParse(row.Code, out var code), $"errors.md lists unknown code {row.Code}");
            var expected = code.ClosesConnection() ? ErrorsDocument.ProtocolKind : ErrorsDocument.CommandKind;
            Assert.True(expected == row.Kind, $"{row.Code}: kind '{row.Kind}', ErrorCodes says '{expected}'");
        }
    }

    [Fact]
    public void ErrorsTable_EveryRow_MeaningIsDefaultMessage()
    {
        foreach (var row in _rows)
        {
            Assert.True(ErrorCodes.TryParse(row.Code, out var code), $"errors.md lists unknown code {row.Code}");
            Assert.Equal(code.DefaultMessage(), row.Meaning);
        }
    }

    [Fact]
    public void ErrorsTable_EveryRow_SaysWhenItIsSent()
    {
        Assert.All(_rows, r => Assert.False(string.IsNullOrWhiteSpace(r.SentWhen), r.Code));
    }

    [Fact]
    public void ParseTable_TableBetweenText_ReturnsOnlyTableRows()
    {
        const string markdown = """
            # Errors
            | Code | Kind | Meaning | Sent when |
            |---|---|---|---|
            | `a.b` | command | A. | Always. |
            | `c.d` | protocol (closes) | C. | Never. |

            After the table.
            """;

        var rows = ErrorsDocument.ParseTable(markdown);

        Assert.Equal(["a.b", "c.d"], rows.Select(r => r.Code));
        Assert.Equal("protocol (closes)", rows[1].Kind);
    }
}
