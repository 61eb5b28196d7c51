namespace Butterfly.Mime.Internal;

/// <summary>The kinds of <see cref="AddressToken"/>.</summary>
internal enum AddressTokenKind
{
    Atom,
    Quoted,
    Comment,
    DomainLiteral,
    Special,
}
