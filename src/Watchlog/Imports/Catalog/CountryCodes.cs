namespace Watchlog.Imports.Catalog;

/// <summary>
/// English country names as catalogs write them (the streaming catalogs' <c>country</c> column) to ISO 3166 alpha-2
/// codes. States that no longer exist keep the code ISO gave them (West Germany DE, East Germany DD, Soviet Union SU),
/// which is also what TMDB uses; Kosovo has the user-assigned XK everyone uses.
/// </summary>
public static class CountryCodes
{
    static readonly Dictionary<string, string> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Afghanistan"] = "AF", ["Albania"] = "AL", ["Algeria"] = "DZ", ["Angola"] = "AO", ["Argentina"] = "AR",
        ["Armenia"] = "AM", ["Australia"] = "AU", ["Austria"] = "AT", ["Azerbaijan"] = "AZ", ["Bahamas"] = "BS",
        ["Bangladesh"] = "BD", ["Belarus"] = "BY", ["Belgium"] = "BE", ["Bermuda"] = "BM", ["Bhutan"] = "BT",
        ["Bolivia"] = "BO", ["Bosnia and Herzegovina"] = "BA", ["Botswana"] = "BW", ["Brazil"] = "BR", ["Bulgaria"] = "BG",
        ["Burkina Faso"] = "BF", ["Cambodia"] = "KH", ["Cameroon"] = "CM", ["Canada"] = "CA", ["Cayman Islands"] = "KY",
        ["Chile"] = "CL", ["China"] = "CN", ["Colombia"] = "CO", ["Costa Rica"] = "CR", ["Croatia"] = "HR",
        ["Cuba"] = "CU", ["Cyprus"] = "CY", ["Czech Republic"] = "CZ", ["Czechia"] = "CZ", ["Czechoslovakia"] = "CS",
        ["Denmark"] = "DK", ["Dominican Republic"] = "DO", ["East Germany"] = "DD", ["Ecuador"] = "EC", ["Egypt"] = "EG",
        ["El Salvador"] = "SV", ["Estonia"] = "EE", ["Ethiopia"] = "ET", ["Finland"] = "FI", ["France"] = "FR",
        ["French Polynesia"] = "PF", ["Georgia"] = "GE", ["Germany"] = "DE", ["Ghana"] = "GH", ["Greece"] = "GR",
        ["Guatemala"] = "GT", ["Honduras"] = "HN", ["Hong Kong"] = "HK", ["Hungary"] = "HU", ["Iceland"] = "IS",
        ["India"] = "IN", ["Indonesia"] = "ID", ["Iran"] = "IR", ["Iraq"] = "IQ", ["Ireland"] = "IE",
        ["Israel"] = "IL", ["Italy"] = "IT", ["Jamaica"] = "JM", ["Japan"] = "JP", ["Jordan"] = "JO",
        ["Kazakhstan"] = "KZ", ["Kenya"] = "KE", ["Kosovo"] = "XK", ["Kuwait"] = "KW", ["Kyrgyzstan"] = "KG",
        ["Latvia"] = "LV", ["Lebanon"] = "LB", ["Liechtenstein"] = "LI", ["Lithuania"] = "LT", ["Luxembourg"] = "LU",
        ["Macao"] = "MO", ["Malawi"] = "MW", ["Malaysia"] = "MY", ["Malta"] = "MT", ["Mauritius"] = "MU",
        ["Mexico"] = "MX", ["Monaco"] = "MC", ["Mongolia"] = "MN", ["Montenegro"] = "ME", ["Morocco"] = "MA",
        ["Mozambique"] = "MZ", ["Myanmar"] = "MM", ["Namibia"] = "NA", ["Nepal"] = "NP", ["Netherlands"] = "NL",
        ["New Zealand"] = "NZ", ["Nicaragua"] = "NI", ["Nigeria"] = "NG", ["North Korea"] = "KP", ["North Macedonia"] = "MK",
        ["Norway"] = "NO", ["Pakistan"] = "PK", ["Palestine"] = "PS", ["Panama"] = "PA", ["Paraguay"] = "PY",
        ["Peru"] = "PE", ["Philippines"] = "PH", ["Poland"] = "PL", ["Portugal"] = "PT", ["Puerto Rico"] = "PR",
        ["Qatar"] = "QA", ["Romania"] = "RO", ["Russia"] = "RU", ["Samoa"] = "WS", ["Saudi Arabia"] = "SA",
        ["Senegal"] = "SN", ["Serbia"] = "RS", ["Singapore"] = "SG", ["Slovakia"] = "SK", ["Slovenia"] = "SI",
        ["Somalia"] = "SO", ["South Africa"] = "ZA", ["South Korea"] = "KR", ["Soviet Union"] = "SU", ["Spain"] = "ES",
        ["Sri Lanka"] = "LK", ["Sudan"] = "SD", ["Sweden"] = "SE", ["Switzerland"] = "CH", ["Syria"] = "SY",
        ["Taiwan"] = "TW", ["Tanzania"] = "TZ", ["Thailand"] = "TH", ["Tunisia"] = "TN", ["Turkey"] = "TR",
        ["Uganda"] = "UG", ["Ukraine"] = "UA", ["United Arab Emirates"] = "AE", ["United Kingdom"] = "GB", ["United States"] = "US",
        ["Uruguay"] = "UY", ["Vatican City"] = "VA", ["Venezuela"] = "VE", ["Vietnam"] = "VN", ["West Germany"] = "DE",
        ["Yugoslavia"] = "YU", ["Zimbabwe"] = "ZW",
        ["UK"] = "GB", ["USA"] = "US", ["US"] = "US", ["Korea"] = "KR", ["Republic of Korea"] = "KR", ["Türkiye"] = "TR",
    };

    /// <summary>The code for a country name, or null when the name isn't known.</summary>
    public static string? For(string name) => Codes.GetValueOrDefault(name.Trim());
}
