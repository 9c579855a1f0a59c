namespace Chancery.Ingest.Samples;

/// <summary>A country a synthetic volume can report on, with its Central Decimal File number.</summary>
internal sealed record SampleCountry(string Name, string Adjective, string Capital, string FileCode, string EnvoyTitle);

/// <summary>An entry of the built-in terms list; <see cref="FromYear"/> keeps anachronisms out.</summary>
internal sealed record SampleTerm(string Id, string Term, string Description, int FromYear);

/// <summary>A name of the built-in pool of people; <see cref="Foreign"/> marks non-American officials.</summary>
internal sealed record SampleName(string Given, string Middle, string Surname, bool Foreign)
{
    public string Full => Middle.Length == 0 ? $"{Given} {Surname}" : $"{Given} {Middle}. {Surname}";

    public string Listed => Middle.Length == 0 ? $"{Surname}, {Given}" : $"{Surname}, {Given} {Middle}.";
}

/// <summary>
/// The built-in word lists of the sample generator. Each list is written roughly in frequency order, because
/// the generator draws from it with Zipf weights by position. Everything is hand-written here so that no
/// external data is needed and the vocabulary never changes between machines.
/// </summary>
internal static class SampleLexicon
{
    // "singular" or "singular:plural" for irregular and uncountable nouns.
    public const string Nouns = """
        government question position matter situation view agreement proposal policy meeting conference
        discussion statement report point time people:people country state reply note action reason interest party
        request subject problem side case effect plan part attitude purpose opinion possibility decision
        basis:bases support:support authority power arrangement program negotiation treaty relation force control
        aid:aid assistance:assistance information:information instruction message conversation representative delegation
        minister ambassador official officer embassy department office commission committee council army
        troop frontier border territory area region zone city port capital island province district
        election press:press radio newspaper article text draft copy memorandum:memoranda telegram despatch letter
        summary record list paragraph section annex clause provision term principle condition guarantee
        security:security peace:peace war:war trade economy industry agriculture:agriculture labor:labor supply shipment cargo vessel ship
        barge railway road bridge river canal airfield harbor coast navy fleet aircraft plane officer
        commander general admiral colonel major captain staff:staff headquarters:headquarters mission legation consulate
        consul secretary chairman:chairmen president premier king queen regent prince court cabinet parliament
        assembly congress senate leader member majority minority opposition coalition movement organization
        union federation alliance bloc pact convention protocol charter declaration communiqué resolution
        vote ballot candidate campaign reform crisis:crises conflict dispute incident clash attack
        offensive withdrawal occupation evacuation invasion retreat advance operation campaign battle
        strength reserve equipment:equipment material:materials weapon arms:arms ammunition:ammunition fuel oil:oil coal:coal grain wheat:wheat
        food:food ration price wage cost loan credit debt payment currency exchange reserve dollar pound franc
        budget revenue tax tariff quota import export market contract concession company firm bank
        property claim compensation reparation restitution:restitution damage loss refugee prisoner detainee worker
        peasant farmer student teacher priest church school university hospital family:families child:children woman:women man:men
        population:population community minority village town factory mine plant well field crop harvest
        frontier boundary line sector corridor route passage transit traffic transport communication
        channel cable wire code courier pouch:pouches visa passport permit license certificate document
        file archive paper copy version translation interpreter language expression phrase word sentence
        impression indication sign signal evidence:evidence proof fact detail figure number estimate total
        percent:percent period date day week month year season morning afternoon evening night hour moment
        occasion visit trip journey arrival departure return invitation reception dinner luncheon audience
        interview consultation talk exchange correspondence communication inquiry investigation survey
        study analysis:analyses review examination appraisal assessment judgment conclusion recommendation
        suggestion advice:advice approval consent:consent concurrence:concurrence objection reservation protest complaint warning
        threat pressure demand concession compromise settlement solution formula approach method means:means
        measure step move initiative effort attempt endeavor undertaking task duty responsibility obligation
        right privilege immunity status:status recognition:recognition sovereignty:sovereignty independence:independence autonomy:autonomy integrity:integrity unity
        stability:stability order law:law regime system structure administration bureaucracy ministry directorate
        bureau division section unit group body agency service branch element faction wing circle
        opinion sentiment feeling mood atmosphere tone spirit confidence trust suspicion doubt fear hope
        concern anxiety regret satisfaction gratitude:gratitude appreciation:appreciation understanding misunderstanding friendship
        hostility tension difficulty obstacle delay progress:progress development improvement deterioration change
        trend tendency pattern course direction aim goal objective intention motive design scheme project
        enterprise venture proposal alternative choice option preference priority emphasis:emphases importance:importance
        significance:significance consequence result outcome success failure defeat victory gain advantage benefit
        profit interest:interests need requirement demand shortage surplus deficit balance level rate degree extent
        scale scope range limit ceiling minimum maximum amount quantity portion share half:halves third quarter
        majority whole:whole rest:rest remainder instance example sort kind type form nature character quality feature
        aspect element factor circumstance event development occurrence episode affair issue topic theme
        agenda item question:questions session sitting recess adjournment plenary caucus vote:votes motion amendment veto:vetoes
        procedure rule practice precedent custom tradition history background origin source channel
        intelligence:intelligence rumor report:reports story account version statement:statements speech address broadcast
        editorial comment criticism praise:praise propaganda:propaganda campaign publicity:publicity attention:attention notice
        surprise shock alarm concern relief pleasure disappointment irritation resentment indignation
        insistence:insistence persistence:persistence patience:patience caution:caution prudence:prudence discretion:discretion secrecy:secrecy confidence assurance promise
        pledge commitment undertaking understanding arrangement accord treaty:treaties alliance:alliances
        commerce:commerce shipping:shipping navigation:navigation aviation:aviation telecommunication finance:finance investment mining:mining forestry:forestry fishery
        customs:customs duty:duties excise levy subsidy grant relief:relief rehabilitation:rehabilitation reconstruction:reconstruction recovery:recovery
        inflation:inflation deflation:deflation depression unemployment:unemployment production output consumption:consumption distribution
        allocation procurement purchase sale delivery stock inventory warehouse depot dock pier wharf
        locomotive wagon truck lorry automobile tractor machinery:machinery tool spare:spares engine ton:tons mile:miles kilometer
        frontier:frontiers garrison base station post outpost camp barracks:barracks fortification installation
        radar:radar bomber fighter submarine cruiser destroyer battleship tank artillery:artillery infantry:infantry cavalry:cavalry division:divisions brigade
        regiment battalion company:companies platoon patrol convoy escort detachment contingent unit:units observer
        inspector adviser expert technician engineer specialist economist lawyer judge magistrate
        governor mayor prefect commissioner delegate envoy emissary intermediary mediator arbitrator
        spokesman:spokesmen correspondent journalist editor publisher author critic historian scholar scientist
        merchant trader banker industrialist landowner shipowner manufacturer exporter importer
        producer consumer taxpayer citizen national:nationals subject:subjects resident inhabitant native foreigner alien
        émigré exile fugitive deserter defector agent informant spy:spies saboteur partisan guerrilla rebel
        insurgent dissident opponent critic rival adversary enemy ally friend partner neighbor colleague
        counterpart predecessor successor superior subordinate deputy assistant aide clerk messenger
        abdication accession accusation acquisition adherence adjustment admission adoption affiliation aggression
        airport ambition amnesty anniversary apology appeal appointment apprehension armament armistice arrest
        aspiration assassination assault asset asylum atrocity audit authorization avenue ban bargain barrier
        battlefield blockade bomb bombardment boycott breach breakdown bribe bulletin burden calendar cannon
        capitulation career cartel casualty catastrophe cemetery censorship:censorship census ceremony chamber champion
        chaos:chaos chapter chemical citizenship clarification coastline coercion:coercion collaboration collapse colony combat
        commodity compact complexity component concentration conscription:conscription consensus conspiracy constitution
        contention continent contingency contribution controversy conviction cooperation:cooperation coordination:coordination
        copper:copper corruption:corruption cotton:cotton counterproposal coup courtesy covenant credential critique crown cruelty
        cultivation:cultivation curfew custody:custody cutback dam deadline deadlock debate decade decree default defense deficiency
        demarcation democracy demonstration denial deployment deportation deposit descent desert destination
        deterrent dictator dictatorship diplomat diplomacy:diplomacy directive disarmament:disarmament disaster discipline:discipline
        discrimination disposal disposition dissolution distrust:distrust doctrine dominion drought dynasty earthquake
        edict electricity:electricity embargo:embargoes emergency emigration:emigration empire employment:employment encroachment
        endorsement enforcement:enforcement entente envelope epidemic equality:equality equilibrium espionage:espionage estate
        expansion expedition expenditure explosion exposure extradition famine fatality fertilizer festival
        fiction flag flood foothold formation fortress franchise fraud freedom friction gasoline:gasoline gesture
        gold:gold grievance guard guidance:guidance hardship hegemony:hegemony heir highway hostage household humiliation
        hunger:hunger ideology illness immigration:immigration imperialism:imperialism implementation:implementation inauguration
        incentive income indemnity infiltration injustice insurrection integration:integration intervention intrigue
        iron:iron irrigation:irrigation jurisdiction justice:justice kingdom landing leadership:leadership leaflet legacy
        legislation:legislation legislature legitimacy:legitimacy liability liberation:liberation liberty livestock:livestock
        lobby lumber:lumber machine mandate manifesto manpower:manpower maneuver manufacture massacre meat:meat
        mechanism mediation:mediation memorial militia monarchy monopoly morale:morale mutiny neutrality:neutrality
        nominee nuisance oath obedience:obedience observance offense ordinance outbreak outlet overture
        ownership:ownership pamphlet parade pardon partition patriot penalty pension petition petroleum:petroleum phase
        pilot piracy:piracy plebiscite plot poll possession poverty:poverty precaution prestige:prestige pretext
        proclamation profession prohibition prominence:prominence promotion prosecution prosperity:prosperity
        protectorate provocation publication punishment purge qualification quarantine railroad rapprochement
        ratification rearmament:rearmament rebellion recession reciprocity:reciprocity recruitment:recruitment referendum
        reinforcement rejection release remittance repatriation:repatriation reprisal republic reputation rescue
        residence resignation resistance:resistance retaliation:retaliation revolt revolution riot rivalry rubber:rubber ruler
        sabotage:sabotage safeguard salary sanction scandal scarcity:scarcity seizure senator slogan smuggling:smuggling
        speculation stalemate statesman:statesmen statute steel:steel strait strike subversion:subversion succession
        suffrage:suffrage sugar:sugar summit superiority:superiority surrender suspension sympathy taxation:taxation telephone
        tenure terrorism:terrorism terrorist testimony textile threshold timber:timber tobacco:tobacco toleration:toleration
        tonnage tragedy traitor treason:treason trial tribe tribunal truce trustee trusteeship turmoil:turmoil tyranny
        ultimatum uprising uranium:uranium usurpation vacancy valley verdict veteran viceroy violation
        violence:violence volunteer warfare:warfare warship waterway weakness welfare:welfare witness zeal:zeal
        """;

    // "base" or "base:past:participle[:present participle]" for irregular verbs and doubled consonants.
    public const string Verbs = """
        state inform consider report request agree believe ask discuss indicate suggest
        receive propose expect remain appear seem desire wish insist reply explain express hope intend
        assure emphasize tell:told:told give:gave:given take:took:taken make:made:made see:saw:seen
        send:sent:sent hold:held:held leave:left:left meet:met:met think:thought:thought bring:brought:brought
        speak:spoke:spoken know:knew:known find:found:found understand:understood:understood
        write:wrote:written keep:kept:kept begin:began:begun become:became:become feel:felt:felt
        lead:led:led lose:lost:lost lend:lent:lent foresee:foresaw:foreseen repay:repaid:repaid
        broadcast:broadcast:broadcast ship:shipped:shipped:shipping defer:deferred:deferred:deferring
        transfer:transferred:transferred:transferring expel:expelled:expelled:expelling seek:sought:sought stand:stood:stood hear:heard:heard withdraw:withdrew:withdrawn
        undertake:undertook:undertaken draw:drew:drawn pay:paid:paid sell:sold:sold build:built:built
        refer:referred:referred:referring admit:admitted:admitted:admitting submit:submitted:submitted:submitting
        permit:permitted:permitted:permitting prefer:preferred:preferred:preferring occur:occurred:occurred:occurring
        plan:planned:planned:planning regret:regretted:regretted:regretting control:controlled:controlled:controlling
        transmit:transmitted:transmitted:transmitting commit:committed:committed:committing stop:stopped:stopped:stopping
        accept reject approve confirm deny declare announce claim maintain contend argue point mention
        note observe remark comment add repeat stress urge recommend advise warn threaten promise pledge
        offer present deliver hand transfer forward return obtain secure gain lose retain preserve
        protect defend support oppose resist prevent avoid delay postpone defer await follow pursue
        continue resume complete finish conclude terminate end settle resolve arrange organize prepare
        draft revise amend modify change alter adjust improve strengthen weaken reduce increase expand
        extend limit restrict prohibit allow enable require demand insist concern involve include contain
        represent constitute establish create form found appoint nominate elect select name designate
        replace dismiss remove release arrest detain imprison try sentence execute expel deport
        evacuate occupy invade attack raid bomb shell capture seize confiscate requisition nationalize
        purchase import export ship load unload store distribute allocate supply furnish provide finance
        fund lend borrow owe repay negotiate bargain consult examine study review investigate inspect
        visit travel arrive depart proceed enter cross reach pass approach contact approach telephone
        cable telegraph wire answer acknowledge thank welcome greet invite entertain attend open close
        decide determine judge estimate calculate assess evaluate compare contrast distinguish recognize
        identify realize notice learn discover reveal disclose publish broadcast print circulate
        distribute communicate convey transmit relay explain clarify define interpret translate summarize
        outline describe characterize portray depict regard view treat handle manage administer govern
        rule direct command order instruct authorize empower entrust delegate assign charge
        accuse blame criticize condemn denounce protest complain object dispute question doubt suspect
        fear worry hesitate refuse decline abstain vote favor endorse ratify sign initial conclude
        guarantee ensure insure safeguard observe respect honor violate breach ignore disregard overlook
        exaggerate minimize underestimate overestimate anticipate foresee predict forecast indicate
        imply suggest intimate hint assume presume suppose imagine conceive envisage contemplate
        abandon abolish absorb accelerate accommodate accompany accomplish accumulate achieve acquire activate
        address adhere adopt advance affect affirm aggravate alarm alienate allege alleviate annex annul apologize
        appease applaud apply appreciate apprehend arbitrate arm assemble assert assist associate attach attain
        attempt attract augment avert balance ban:banned:banned:banning bar:barred:barred:barring benefit block
        brief broaden campaign cancel cease cede celebrate censor challenge circumvent cite coincide collaborate
        collapse combat combine compel:compelled:compelled:compelling compensate compete compile comply compromise
        concede concentrate condone confer:conferred:conferred:conferring confront consolidate construct contest
        contribute convene convince cooperate coordinate counter cultivate curb curtail damage deceive decree defeat
        deliberate demobilize demonstrate deplore deploy depose deprive destroy deter:deterred:deterred:deterring
        devalue devote dictate disarm discourage dismantle dispatch displace dissolve divert divide document
        dominate donate double eliminate embark emerge employ encounter encourage endanger enforce engage enlarge
        enlist equip:equipped:equipped:equipping erect escalate escape evade exclude exercise exert exhaust exploit
        explore expose facilitate fortify foster frustrate fulfill gather grant harass hamper hasten implement
        impose incite incorporate infiltrate influence inherit initiate insert inspire install instigate integrate
        intensify intercept interfere interrupt intervene introduce invest isolate justify launch legalize liberate
        liquidate lobby locate mediate mobilize monitor motivate neutralize normalize notify obstruct oust outlaw
        overthrow:overthrew:overthrown participate pacify penetrate perform persuade petition plead possess preside
        prevail proclaim prolong promote prosecute provoke publicize punish purge rearm rebuild:rebuilt:rebuilt
        reconcile reconsider recover recruit redeem reestablish reform regulate reinforce reiterate relieve
        relinquish rely renew renounce reorganize repatriate repeal resign restore retaliate retreat reverse revive
        revoke sanction satisfy scrutinize sever shift smuggle solicit stabilize stimulate strike:struck:struck
        subordinate subsidize substitute succeed summon supervise suppress surrender suspend sustain tolerate trade
        unify utilize veto:vetoed:vetoed:vetoing vindicate waive withstand:withstood:withstood yield
        """;

    /// <summary>Past forms of verbs that report speech; they introduce "that" clauses.</summary>
    public const string ReportingVerbs = """
        said stated reported indicated believed suggested explained added emphasized felt thought understood
        learned agreed considered feared hoped insisted replied observed remarked argued maintained recalled
        """;

    /// <summary>Past forms of verbs that take no object.</summary>
    public const string IntransitiveVerbs = """
        agreed hesitated declined arrived departed returned withdrew objected abstained resigned failed
        acquiesced demurred concurred protested complained continued intervened persisted relented
        """;

    public const string Adjectives = """
        political military economic present new further general possible important necessary foreign
        international national other certain recent serious final full early principal current special
        direct joint provisional immediate considerable strong favorable satisfactory difficult clear
        public private official informal formal confidential friendly hostile reasonable responsible
        appropriate additional similar separate previous subsequent particular local central western
        eastern northern southern total large small great long high low heavy free open close careful
        frank cordial courteous firm vague definite precise exact detailed brief short lengthy complete
        partial temporary permanent interim preliminary tentative substantial minor major vital essential
        urgent critical grave acute delicate sensitive secret tactical strategic diplomatic commercial
        financial monetary fiscal industrial agricultural maritime naval aerial territorial constitutional
        legal judicial administrative parliamentary electoral democratic liberal conservative radical
        moderate extreme communist socialist nationalist royalist republican popular unpopular effective
        ineffective adequate inadequate sufficient insufficient available unavailable acceptable
        unacceptable desirable undesirable likely unlikely probable improbable doubtful uncertain evident
        apparent obvious plain manifest explicit implicit mutual common bilateral multilateral regional
        continental colonial imperial federal municipal civil civilian criminal humanitarian cultural
        educational religious ethnic racial social moral physical material technical scientific medical
        practical theoretical actual real true false genuine sincere candid open reliable unreliable
        competent able capable willing unwilling ready eager anxious reluctant cautious hesitant prudent
        wise unwise sound weak stable unstable secure insecure quiet calm tense critical dangerous safe
        peaceful violent bitter sharp mild gentle harsh severe strict lenient generous liberal modest
        limited unlimited broad narrow wide deep shallow rapid slow gradual sudden steady constant regular
        irregular normal abnormal usual unusual ordinary extraordinary exceptional remarkable notable
        significant insignificant minor secondary primary basic fundamental underlying ultimate eventual
        initial original former latter subsequent next last past future present modern traditional
        conventional orthodox unorthodox independent dependent neutral impartial partisan objective
        subjective personal individual collective general specific concrete abstract positive negative
        affirmative constructive destructive cooperative uncooperative conciliatory intransigent
        abrupt absolute abundant academic accurate active adverse aggressive agrarian alarming ambiguous ample
        arbitrary armed austere authoritarian autonomous backward balanced belligerent beneficial binding blunt bold
        brutal bureaucratic chronic clandestine coastal coherent compulsory concerned consistent controversial corrupt
        covert crucial decisive defensive deliberate dependable desperate disastrous discreet disputed distinct
        domestic dominant drastic dual durable dynamic efficient elaborate elected eligible embarrassing emphatic
        energetic enormous equitable excessive exclusive exempt expedient experimental explosive fair faithful
        feasible fertile feudal fierce flexible fragile fraudulent futile global hasty hereditary historic honest
        honorable humane hypothetical illegal imminent imperative implacable impractical inadvertent incompatible
        indefinite indirect indispensable inevitable influential innocent intense interested internal invalid
        irrelevant judicious just legitimate loyal lucrative mandatory massive mature menacing militant naval
        nominal notorious obsolete offensive ominous oral overseas patient persistent plausible plentiful polite
        precarious premature prestigious prevailing productive profitable prominent prompt prospective provocative
        punitive rational reactionary reciprocal regrettable relevant remote resolute respectable restrictive
        retroactive revolutionary rigid rival rural sovereign sparse spontaneous stern strenuous subversive
        successful suitable superior supplementary supreme sympathetic systematic tenable thorough tolerant tough
        tragic transitional tremendous tribal troubled unanimous unconditional understandable unfortunate
        unilateral uniform unjust unprecedented unsatisfactory unsuccessful urban useful valid valuable vigorous
        vulnerable warm wartime welcome worthwhile
        """;

    public const string Adverbs = """
        also now however already still only further probably certainly nevertheless accordingly
        therefore merely clearly fully directly immediately apparently generally particularly strongly
        seriously entirely largely partly mainly chiefly primarily essentially substantially
        considerably slightly somewhat rather quite very extremely highly deeply greatly firmly
        formally informally privately publicly officially unofficially confidentially personally
        frankly candidly openly carefully closely promptly quickly rapidly slowly gradually eventually
        finally recently previously subsequently meanwhile shortly soon again once twice thereafter
        hitherto heretofore henceforth presumably reportedly allegedly evidently obviously undoubtedly
        definitely possibly perhaps likely hardly scarcely barely nearly almost virtually practically
        actually really indeed moreover furthermore besides likewise similarly otherwise instead
        consequently thus hence accordingly particularly especially notably specifically explicitly
        """;

    /// <summary>Adjectives whose rule-made -ly form is not English, or not in use.</summary>
    public const string NoAdverb = """
        future available unavailable naval aerial parliamentary coastal dual rival tenable reactionary
        revolutionary supplementary preliminary eligible feudal tribal prestigious influential unpopular
        colonial imperial municipal continental electoral territorial agricultural educational
        industrial incompatible indispensable lucrative feasible stable unstable secondary hereditary
        transitional rural tolerant
        """;

    public const string SingularDeterminers = "the the the the a a this that any each no its their his our every another such";

    public const string PluralDeterminers = "the the the these those some all many several their such certain other most";

    public const string Prepositions = """
        of of of of in in in to to for for on with by at from regarding concerning under between after before
        during against without through toward within upon into over about since pending following beyond
        """;

    public const string Conjunctions = "and and and but or since although while because whereas if unless until when";

    public const string Openers = """
        However,|Meanwhile,|In the circumstances,|At the same time,|In my opinion,|It is understood that|
        I am informed that|I have the impression that|It is my view that|He stated that|He added that|
        The Minister said that|According to reliable sources,|For the present,|In any event,|
        On the other hand,|As a result,|In reply,|Accordingly,|Nevertheless,|Moreover,|Furthermore,|
        Finally,|Consequently,|It will be recalled that|You will appreciate that|It is evident that|
        The Department believes that|The Department considers that|I am satisfied that|There is reason to believe that
        """;

    public const string Modals = "would|will|should|could|may|might|must|cannot|did not";

    /// <summary>Phrases that read as proper nouns of diplomatic prose.</summary>
    public const string DiplomaticPhrases = """
        Foreign Office|Foreign Ministry|Prime Minister|Security Council|General Assembly|Council of Foreign Ministers|
        Control Commission|peace treaty|Chief of Staff|High Commissioner|armistice terms|trade agreement|
        military mission|Consulate General|Chargé d’Affaires|Secretary General|Commander in Chief|Joint Chiefs of Staff|
        Ministry of Finance|Ministry of War|Ministry of Communications|Central Bank|Supreme Court|Council of Ministers|
        Political Adviser|Military Attaché|Naval Attaché|Air Attaché|Commercial Attaché|Press Attaché|
        diplomatic corps|note verbale|aide-mémoire|most-favored-nation treatment|status quo|modus vivendi|
        good offices|bona fides|fait accompli|persona non grata|letters of credence|plenipotentiary powers
        """;

    public static readonly SampleCountry[] Countries =
    [
        new("the Soviet Union", "Soviet", "Moscow", "61", "Ambassador"),
        new("the United Kingdom", "British", "London", "41", "Ambassador"),
        new("France", "French", "Paris", "51", "Ambassador"),
        new("China", "Chinese", "Nanking", "93", "Ambassador"),
        new("Germany", "German", "Berlin", "62", "Political Adviser"),
        new("Austria", "Austrian", "Vienna", "63", "Political Adviser"),
        new("Italy", "Italian", "Rome", "65", "Ambassador"),
        new("Hungary", "Hungarian", "Budapest", "64", "Minister"),
        new("Rumania", "Rumanian", "Bucharest", "71", "Minister"),
        new("Bulgaria", "Bulgarian", "Sofia", "74", "Minister"),
        new("Yugoslavia", "Yugoslav", "Belgrade", "60H", "Ambassador"),
        new("Poland", "Polish", "Warsaw", "60C", "Ambassador"),
        new("Czechoslovakia", "Czechoslovak", "Praha", "60F", "Ambassador"),
        new("Greece", "Greek", "Athens", "68", "Ambassador"),
        new("Turkey", "Turkish", "Ankara", "67", "Ambassador"),
        new("Iran", "Iranian", "Tehran", "91", "Ambassador"),
        new("Egypt", "Egyptian", "Cairo", "83", "Ambassador"),
        new("Saudi Arabia", "Saudi Arabian", "Jidda", "90F", "Minister"),
        new("Iraq", "Iraqi", "Baghdad", "90G", "Minister"),
        new("Syria", "Syrian", "Damascus", "90D", "Minister"),
        new("Lebanon", "Lebanese", "Beirut", "90E", "Minister"),
        new("India", "Indian", "New Delhi", "45", "Ambassador"),
        new("Japan", "Japanese", "Tokyo", "94", "Political Adviser"),
        new("Korea", "Korean", "Seoul", "95", "Political Adviser"),
        new("the Philippines", "Philippine", "Manila", "96", "Ambassador"),
        new("Spain", "Spanish", "Madrid", "52", "Chargé"),
        new("Portugal", "Portuguese", "Lisbon", "53", "Minister"),
        new("Belgium", "Belgian", "Brussels", "55", "Ambassador"),
        new("the Netherlands", "Netherlands", "The Hague", "56", "Ambassador"),
        new("Norway", "Norwegian", "Oslo", "57", "Ambassador"),
        new("Sweden", "Swedish", "Stockholm", "58", "Minister"),
        new("Finland", "Finnish", "Helsinki", "60D", "Minister"),
        new("Switzerland", "Swiss", "Bern", "54", "Minister"),
        new("Canada", "Canadian", "Ottawa", "42", "Ambassador"),
        new("Mexico", "Mexican", "Mexico City", "12", "Ambassador"),
        new("Brazil", "Brazilian", "Rio de Janeiro", "32", "Ambassador"),
        new("Argentina", "Argentine", "Buenos Aires", "35", "Ambassador"),
        new("Chile", "Chilean", "Santiago", "25", "Ambassador"),
        new("Cuba", "Cuban", "Habana", "37", "Ambassador"),
        new("Ethiopia", "Ethiopian", "Addis Ababa", "84", "Minister"),
    ];

    /// <summary>Department of State offices, by area, for heads such as "Chief of the Division of … Affairs".</summary>
    public static readonly string[] Areas =
    [
        "Eastern European", "Western European", "Near Eastern", "Middle Eastern", "Far Eastern", "Chinese",
        "Northeast Asian", "South Asian", "African", "American Republic", "British Commonwealth", "Central European",
        "Southern European", "Northern European", "Economic Security", "International Trade", "Financial and Monetary",
        "Transport and Communications", "International Organization", "Research and Intelligence",
    ];

    public static readonly SampleTerm[] Terms =
    [
        new("t_Deptel1", "Deptel", "Department of State telegram", 0),
        new("t_Embtel1", "Embtel", "Embassy telegram", 0),
        new("t_urtel1", "urtel", "your telegram", 0),
        new("t_mytel1", "mytel", "my telegram", 0),
        new("t_Legtel1", "Legtel", "Legation telegram", 0),
        new("t_ACC1", "ACC", "Allied Control Commission", 1943),
        new("t_CFM1", "CFM", "Council of Foreign Ministers", 1945),
        new("t_UN1", "UN", "United Nations", 1945),
        new("t_UNRRA1", "UNRRA", "United Nations Relief and Rehabilitation Administration", 1943),
        new("t_FEA1", "FEA", "Foreign Economic Administration", 1943),
        new("t_SWNCC1", "SWNCC", "State-War-Navy Coordinating Committee", 1944),
        new("t_JCS1", "JCS", "Joint Chiefs of Staff", 1942),
        new("t_CIA1", "CIA", "Central Intelligence Agency", 1947),
        new("t_NSC1", "NSC", "National Security Council", 1947),
        new("t_ECA1", "ECA", "Economic Cooperation Administration", 1948),
        new("t_ERP1", "ERP", "European Recovery Program", 1948),
        new("t_OEEC1", "OEEC", "Organization for European Economic Cooperation", 1948),
        new("t_NATO1", "NATO", "North Atlantic Treaty Organization", 1949),
        new("t_MDAP1", "MDAP", "Mutual Defense Assistance Program", 1949),
        new("t_IBRD1", "IBRD", "International Bank for Reconstruction and Development", 1945),
        new("t_IMF1", "IMF", "International Monetary Fund", 1945),
        new("t_GATT1", "GATT", "General Agreement on Tariffs and Trade", 1947),
        new("t_FAO1", "FAO", "Food and Agriculture Organization", 1945),
        new("t_ICJ1", "ICJ", "International Court of Justice", 1946),
        new("t_EUR1", "EUR", "Office of European Affairs", 1944),
        new("t_NEA1", "NEA", "Office of Near Eastern and African Affairs", 1944),
        new("t_FE1", "FE", "Office of Far Eastern Affairs", 1944),
        new("t_ARA1", "ARA", "Office of American Republic Affairs", 1944),
        new("t_EE1", "EE", "Division of Eastern European Affairs", 1944),
        new("t_WE1", "WE", "Division of Western European Affairs", 1944),
        new("t_PolAd1", "PolAd", "Political Adviser", 1944),
        new("t_MilAtt1", "MilAtt", "Military Attaché", 0),
        new("t_Niact1", "Niact", "night action, communications indicator requiring attention by the recipient at any hour", 1947),
        new("t_Todep1", "Todep", "series indicator for telegrams to the Department from the delegation", 1945),
        new("t_Delsec1", "Delsec", "series indicator for telegrams from the Secretary of State while at a conference", 1945),
        new("t_Sitrep1", "Sitrep", "situation report", 1944),
    ];

    public const string GivenNames = """
        Albert Alfred Allen Arthur Benjamin Bernard Carl Charles Clarence Clifford Daniel David Donald Douglas
        Edgar Edward Edwin Elliott Ernest Eugene Francis Frank Frederick George Gordon Harold Harry Henry Herbert
        Howard Hugh Jacob James John Joseph Julian Kenneth Lawrence Leonard Leslie Lewis Louis Malcolm Martin
        Matthew Maurice Nelson Norman Oliver Oscar Paul Philip Ralph Raymond Richard Robert Roger Roland Samuel
        Stanley Stephen Theodore Thomas Walter Warren Wesley William Winthrop Alice Dorothy Eleanor Frances Helen
        Margaret Ruth Virginia Florence Katherine
        """;

    public const string Surnames = """
        Abbott Ainsley Alden Ashby Atwood Bainbridge Barlow Beckett Bellamy Birch Blakeley Bramwell Brewster
        Calloway Carrick Chalmers Chandler Colby Corbett Crawley Darnell Dawes Delancey Denholm Dexter Draycott
        Eastman Ellery Emmons Fairbanks Farrow Fenwick Fielding Fitch Fleming Forsythe Gage Garland Garrick
        Gilchrist Goodwin Granger Greaves Hale Halloway Harcourt Hartwell Haskell Hathaway Hawley Hayward Hendry
        Holbrook Holcomb Hollis Huxley Ingram Jarvis Keating Kendall Kimball Kingsley Lamont Langley Larkin
        Lathrop Lindley Lockwood Loring Lowell Maddox Mallory Manning Marlowe Mather Maxwell Mayhew Merrill
        Milburn Morley Nash Newcombe Norwood Oakes Ogden Osgood Paget Palmer Parrish Pemberton Pendleton
        Pickering Prescott Putnam Radcliffe Ramsey Randall Redfield Rhodes Ridley Rockwell Royce Sanborn Sargent
        Saunders Sayre Sedgwick Shelby Sherwood Shipley Slocum Southworth Spalding Stanhope Sterling Stoddard
        Stratton Talbot Thayer Thorne Tilden Townsend Tracy Truett Underhill Upton Vance Vinton Wadsworth
        Wakefield Walcott Ward Warfield Webster Wendell Wheeler Whitaker Whitcomb Wilder Winslow Woodbury
        Worthington Wyatt Yates Yardley Ambler Brockway Cutler Dunstan Everett Faulkner Grafton Hadley Ives
        Judson Kirkland Leland Marston Northrup Orcutt Pryor Quimby Rowley Stearns Tolman Usher Varney Whitlock
        """;

    public const string ForeignGivenNames = """
        Anton Boris Carlos Dimitri Émile Fernand Georg Henri Ivan Jan Karel Luis Marcel Nikolai Pedro
        Stefan Tadeusz Viktor Wilhelm Yusuf Ahmad Hassan Kemal Li Wei Hiroshi Kenji Sung Miguel Raúl
        """;

    public const string ForeignSurnames = """
        Andrade Bertrand Castellanos Dimitrov Eriksen Fontaine Gálvez Haddad Ionescu Jansen Kovács Lindqvist
        Moreau Novak Orlanov Petrovic Quiroga Rossi Santos Takeda Varga Weber Yilmaz Zeller Aksoy Baranov
        Chen Dufresne Esterházy Farouki Grigoriev Halvorsen Iqbal Jovanovic Kaminski Lefebvre Matsuda
        Nazari Ostrowski Paz Rahimi Sokolov Tanaka Urquiza Vasquez Wong Xenakis Yanev Zoltan Belloc Cardona
        Delacroix Ferreira Gomulka Horvath Inoue Karimi Laszlo Mendez Nagy Okada Petrescu Rinaldi Serrano
        """;

    public static string[] Split(string list) =>
        list.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public static string[] SplitPhrases(string list) =>
        list.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => string.Join(' ', Split(p)))
            .ToArray();
}
