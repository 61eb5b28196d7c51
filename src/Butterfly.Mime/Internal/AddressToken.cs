namespace Butterfly.Mime.Internal;

/// <summary>A lexical token of an address list.</summary>
internal readonly record struct AddressToken(AddressTokenKind Kind, string Text, bool SpaceBefore)
{
    public bool IsSpecial(char c) => Kind == AddressTokenKind.Special && Text.Length == 1 && Text[0] == c;

    public bool IsWordLike => Kind is AddressTokenKind.Atom or AddressTokenKind.Quoted || IsSpecial('.');
}
