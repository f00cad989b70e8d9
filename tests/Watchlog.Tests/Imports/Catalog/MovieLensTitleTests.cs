using Watchlog.Imports.Catalog;

namespace Watchlog.Tests.Imports.Catalog;

public class MovieLensTitleTests
{
    [Theory]
    [InlineData("Toy Story (1995)", "Toy Story", 1995)]
    [InlineData("Misérables, Les (1995)", "Les Misérables", 1995)]
    [InlineData("American President, The (1995)", "The American President", 1995)]
    [InlineData("Affair of Love, An (Liaison pornographique, Une) (1999)", "An Affair of Love", 1999)]
    [InlineData("Colonel Chabert, Le (1994)", "Le Colonel Chabert", 1994)]
    [InlineData("Ours, L' (1988)", "L'Ours", 1988)]
    [InlineData("Divo, Il (2008)", "Il Divo", 2008)]
    [InlineData("Baader Meinhof Komplex, Der (2008)", "Der Baader Meinhof Komplex", 2008)]
    [InlineData("Mariachi, El (1992)", "El Mariachi", 1992)]
    [InlineData("Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il) (1966)", "The Good, the Bad and the Ugly", 1966)]
    [InlineData("Lord of the Rings: The Fellowship of the Ring, The (2001)", "The Lord of the Rings: The Fellowship of the Ring", 2001)]
    [InlineData("Crow, The: Wicked Prayer (2005)", "The Crow: Wicked Prayer", 2005)]
    [InlineData("Honey, I Shrunk the Kids (1989)", "Honey, I Shrunk the Kids", 1989)]
    [InlineData("(500) Days of Summer (2009)", "(500) Days of Summer", 2009)]
    [InlineData("From Dusk Till Dawn 2: Texas Blood Money (1999) ", "From Dusk Till Dawn 2: Texas Blood Money", 1999)]
    [InlineData("Death Note: Desu nôto (2006–2007)", "Death Note: Desu nôto", 2006)]
    [InlineData("Babylon 5", "Babylon 5", null)]
    public void Takes_the_year_off_and_puts_a_trailing_article_in_front(string raw, string title, int? year)
    {
        var parsed = MovieLensTitle.Parse(raw);

        Assert.Equal(title, parsed.Title);
        Assert.Equal(year, parsed.Year);
    }

    [Fact]
    public void A_title_in_parentheses_becomes_an_alias_with_its_article_in_front()
    {
        var parsed = MovieLensTitle.Parse("City of Lost Children, The (Cité des enfants perdus, La) (1995)");

        Assert.Equal("The City of Lost Children", parsed.Title);
        var alias = Assert.Single(parsed.Aliases);
        Assert.Equal("La Cité des enfants perdus", alias.Title);
        Assert.Null(alias.Kind);
    }

    [Fact]
    public void An_aka_title_is_an_alias_of_kind_aka()
    {
        var parsed = MovieLensTitle.Parse("Twelve Monkeys (a.k.a. 12 Monkeys) (1995)");

        Assert.Equal("Twelve Monkeys", parsed.Title);
        var alias = Assert.Single(parsed.Aliases);
        Assert.Equal(("12 Monkeys", "aka"), (alias.Title, alias.Kind));
    }

    [Fact]
    public void Several_alternate_titles_keep_their_order()
    {
        var parsed = MovieLensTitle.Parse("Trou, Le (Hole, The) (Night Watch, The) (1960)");

        Assert.Equal("Le Trou", parsed.Title);
        Assert.Equal(["The Hole", "The Night Watch"], parsed.Aliases.Select(a => a.Title));
    }

    [Fact]
    public void An_alternate_title_equal_to_the_title_is_not_an_alias()
    {
        var parsed = MovieLensTitle.Parse("Léon: The Professional (a.k.a. The Professional) (Léon) (Léon: The Professional) (1994)");

        Assert.Equal("Léon: The Professional", parsed.Title);
        Assert.Equal(["The Professional", "Léon"], parsed.Aliases.Select(a => a.Title));
    }

    [Fact]
    public void A_comma_inside_an_alternate_title_is_only_an_article_when_one_follows()
    {
        var parsed = MovieLensTitle.Parse("Paris, I Love You (Paris, je t'aime) (2006)");

        Assert.Equal("Paris, I Love You", parsed.Title);
        Assert.Equal("Paris, je t'aime", Assert.Single(parsed.Aliases).Title);
    }
}
