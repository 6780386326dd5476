namespace Peregrine.Domain.Seeding;

/// <summary>A demo category with the phrases that describe what a witness of that kind saw.</summary>
internal sealed record DemoCategory(string Name, string Description, string Icon, int Weight, string[] Subjects);

/// <summary>The word lists the demo users and report descriptions are assembled from.</summary>
internal static class DemoVocabulary
{
    public static readonly IReadOnlyList<DemoCategory> Categories =
    [
        new("Lights", "Unexplained points of light, steady or pulsing", "lightbulb", 10,
        [
            "three bright white lights", "a cluster of pulsing red lights", "a single flashing green light",
            "two amber lights", "a row of blinking lights", "a bright light brighter than any star",
        ]),
        new("Orb", "Spherical glowing objects", "circle", 9,
        [
            "a glowing orange orb", "a silent blue sphere", "a small white orb", "two red orbs",
            "a pulsating orb of light", "a shimmering silver ball",
        ]),
        new("Triangle", "Triangular craft, often with lights at each corner", "change_history", 7,
        [
            "a black triangular craft with lights at each corner", "a huge dark triangle",
            "a boomerang shaped object", "a triangle of dim white lights",
        ]),
        new("Disc", "Classic saucer or disc shaped objects", "album", 6,
        [
            "a metallic disc", "a saucer shaped object with a dome on top", "a spinning silver disc",
            "a flat round craft with a ring of lights",
        ]),
        new("Cylinder", "Cigar or cylinder shaped objects", "straighten", 4,
        [
            "a long silver cylinder", "a cigar shaped object without wings", "a white tic tac shaped object",
            "a dark elongated craft",
        ]),
        new("Fireball", "Burning or fiery objects that do not behave like meteors", "local_fire_department", 5,
        [
            "a slow moving fireball", "a ball of fire trailing sparks", "a burning red object",
            "several orange fireballs",
        ]),
        new("Formation", "Groups of objects moving together", "scatter_plot", 5,
        [
            "a V formation of dim lights", "a line of evenly spaced lights", "a tight formation of five objects",
            "a ring of lights rotating together",
        ]),
        new("Sound", "Unexplained hums, booms or tones", "graphic_eq", 3,
        [
            "a dim light that gave off a deep droning hum", "a flash of light after a loud boom",
            "a small craft with a high pitched whine", "a dark object with a low rumbling sound",
        ]),
        new("Shadow", "Dark shapes seen against the sky", "dark_mode", 3,
        [
            "a dark shape blocking out the stars", "a shadowy object", "a black mass with no lights",
        ]),
        new("Cloud", "Unusual luminous or solid looking clouds", "cloud", 2,
        [
            "a strange luminous cloud", "a lens shaped cloud that glowed", "a cloud that moved against the wind",
        ]),
        new("Landing", "Physical traces or objects seen on the ground", "flight_land", 2,
        [
            "a glowing object resting in a field", "a craft that landed briefly", "a bright object touching down",
        ]),
        new("Electromagnetic", "Sightings with radio, power or compass disturbances", "bolt", 2,
        [
            "a bright object while the car radio filled with static", "a light as the street lamps flickered",
            "a hovering object while my compass spun",
        ]),
    ];

    public static readonly string[] Openings =
    [
        "While walking the dog", "Driving home from work", "Around midnight", "Just after sunset",
        "From my back porch", "While camping with friends", "On my way to the night shift", "Just before dawn",
        "While stargazing", "Taking out the trash", "Coming back from the airport", "During a thunderstorm",
        "While fishing at the pier", "Looking out of the kitchen window", "On a late evening run",
    ];

    public static readonly string[] Motions =
    [
        "hovering silently", "moving slowly from north to south", "zigzagging at high speed",
        "descending toward the horizon", "rising straight up", "stationary before shooting off",
        "drifting against the wind", "making sharp right angle turns", "circling slowly",
        "pacing our car", "moving east without a sound", "blinking in and out",
    ];

    public static readonly string[] Places =
    [
        "over the lake", "above the treeline", "near the highway", "over the city center", "behind the hills",
        "above the harbor", "over the farm fields", "near the power lines", "over the river",
        "above the stadium", "near the airport", "over the desert", "above the bay", "over the mountains",
    ];

    public static readonly string[] Details =
    [
        "There was no sound at all.", "My phone camera struggled to focus on it.",
        "The lights changed from red to green.", "Dogs in the neighbourhood started barking.",
        "It reflected the moonlight like polished metal.", "A faint humming could be heard.",
        "Several cars pulled over to watch.", "It was much larger than an airplane.",
        "There were no navigation lights like a normal aircraft.", "The sky was completely clear.",
        "It left a faint glowing trail.", "It split into two and then merged again.",
        "The air smelled of ozone afterwards.", "It disappeared behind a cloud and never came back.",
    ];

    public static readonly string[] Durations =
    [
        "about thirty seconds", "two or three minutes", "nearly ten minutes", "less than a minute",
        "over half an hour", "about five minutes", "a few seconds",
    ];

    public static readonly string[] Witnesses =
    [
        "My wife saw it too.", "I was alone.", "Two neighbours also witnessed it.",
        "My kids were with me and saw it as well.", "I reported it to the local airport.",
        "I have never seen anything like it.", "I am a pilot and could not identify it.", "",
    ];

    public static readonly string[] FirstNames =
    [
        "Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn",
        "Maria", "Liam", "Noah", "Emma", "Olivia", "Lucas", "Mia", "Hiro", "Yuki", "Amara",
        "Chen", "Priya", "Diego", "Sofia", "Lars", "Ingrid", "Kofi", "Zara", "Mateo", "Aisha",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Garcia", "Nguyen", "Müller", "Rossi", "Kowalski", "Tanaka", "Okafor", "Silva", "Johansson",
        "Brown", "Dubois", "Kim", "Patel", "Novak", "Haddad", "O'Brien", "Fernandez", "Larsen", "Walker",
    ];

    public static readonly string[] Devices =
    [
        "iPhone 15 Pro", "iPhone 13", "Pixel 8", "Galaxy S23", "Canon EOS R6", "Nikon D750", "GoPro HERO11",
    ];
}
