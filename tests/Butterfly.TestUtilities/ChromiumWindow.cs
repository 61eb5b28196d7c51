namespace Butterfly.TestUtilities;

/// <summary>A browser viewport the web client's tests look through.</summary>
/// <param name="Width">CSS pixels across.</param>
/// <param name="Height">CSS pixels down.</param>
/// <param name="Mobile">Whether the page is emulated as a phone (touch, the page's meta viewport honoured).</param>
public sealed record ChromiumWindow(int Width, int Height, bool Mobile)
{
    /// <summary>A laptop screen.</summary>
    public static ChromiumWindow Desktop { get; } = new(1280, 800, Mobile: false);

    /// <summary>A phone held upright (an iPhone 12–15 sized viewport).</summary>
    public static ChromiumWindow Phone { get; } = new(390, 844, Mobile: true);
}
