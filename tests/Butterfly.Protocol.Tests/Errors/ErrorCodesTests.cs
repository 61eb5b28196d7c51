using Butterfly.Protocol.Errors;
using Xunit;

namespace Butterfly.Protocol.Tests.Errors;

/// <summary>The error table: complete, unique, round-trips.</summary>
public sealed class ErrorCodesTests
{
    public static TheoryData<ErrorCode> AllCodes => [.. ErrorCodes.All];

    [Fact]
    public void All_EveryDefinedCodeExceptNone_IsListedOnce()
    {
        var defined = Enum.GetValues<ErrorCode>().Where(c => c != ErrorCode.None).ToArray();

        Assert.Equal(defined, ErrorCodes.All);
    }

    [Fact]
    public void ToWire_AllCodes_AreUnique()
    {
        var wires = ErrorCodes.All.Select(c => c.ToWire()).ToArray();

        Assert.Equal(wires.Length, wires.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void ToWire_Code_IsLowercaseDottedName(ErrorCode code)
    {
        var wire = code.ToWire();

        Assert.Matches("^[a-z]+(-[a-z]+)*\\.[a-z]+(-[a-z]+)*$", wire);
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void DefaultMessage_Code_IsNonEmptySentence(ErrorCode code)
    {
        var message = code.DefaultMessage();

        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.EndsWith(".", message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void TryParse_WireCode_RoundTrips(ErrorCode code)
    {
        Assert.True(ErrorCodes.TryParse(code.ToWire(), out var parsed));
        Assert.Equal(code, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ok")]
    [InlineData("FOLDER.NOT-FOUND")]
    [InlineData("folder.not-found ")]
    [InlineData("no.such-code")]
    public void TryParse_UnknownWireCode_ReturnsFalseAndNone(string? wire)
    {
        Assert.False(ErrorCodes.TryParse(wire, out var parsed));
        Assert.Equal(ErrorCode.None, parsed);
    }

    [Theory]
    [InlineData(ErrorCode.ProtocolFrameTooLarge)]
    [InlineData(ErrorCode.ProtocolMalformedFrame)]
    [InlineData(ErrorCode.ProtocolReservedTag)]
    public void ClosesConnection_FramingErrors_IsTrue(ErrorCode code)
    {
        Assert.True(code.ClosesConnection());
        Assert.StartsWith("protocol.", code.ToWire(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ErrorCode.RequestMalformedJson)]
    [InlineData(ErrorCode.AuthRequired)]
    [InlineData(ErrorCode.FolderNotFound)]
    [InlineData(ErrorCode.ServerInternal)]
    public void ClosesConnection_CommandErrors_IsFalse(ErrorCode code)
    {
        Assert.False(code.ClosesConnection());
    }

    [Fact]
    public void ToWire_None_IsOk()
    {
        Assert.Equal("ok", ErrorCode.None.ToWire());
        Assert.False(ErrorCode.None.ClosesConnection());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_000)]
    public void ToWire_UndefinedValue_ThrowsArgumentOutOfRange(int value)
    {
        var code = (ErrorCode)value;

        Assert.Throws<ArgumentOutOfRangeException>(() => code.ToWire());
        Assert.Throws<ArgumentOutOfRangeException>(() => code.DefaultMessage());
        Assert.Throws<ArgumentOutOfRangeException>(() => code.ClosesConnection());
    }
}
