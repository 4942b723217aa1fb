// Closed word lists the rules rely on. They describe English news writing in general (reporting verbs,
// titles, organisation and document nouns), never the people or places of a particular story.

const set = (words: string) => new Set(words.trim().split(/\s+/));

/** Reporting verbs that introduce a reported clause or attribute a quote. */
export const REPORTING_VERBS = set(`
  said says say told tells tell added adds noted notes warned warns insisted insists argued argues
  stressed stresses stated announced announces declared declares explained explains emphasised emphasized
  emphasises emphasizes claimed claims replied replies asserted asserts acknowledged acknowledges admitted
  admits maintained maintains remarked commented suggested suggests predicted cautioned conceded concedes
  confirmed confirms reiterated reiterates recalled underlined underscored wrote writes asked asks
  responded observed objected countered contended alleged complained pledged promised vowed tweeted
  denied denies reads
`);

/** Verbs that take a clause only through "that" or a colon, never a bare clause ("agreed to ..."). */
export const THAT_ONLY_VERBS = set(`
  announced announces declared declares asked asks responded confirmed confirms pledged promised vowed recalled observed objected complained
  denied denies
`);

/** Participles that continue a quote or clause with the same speaker: ", adding that …". */
export const REPORTING_PARTICIPLES = set(`
  adding noting saying warning stressing insisting arguing explaining emphasising emphasizing claiming
  asserting recalling underlining cautioning predicting acknowledging conceding
`);

export const AUXILIARIES = set(`
  is are was were be been being am has have had will would could should can cannot may might must shall
  do does did isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't couldn't shouldn't can't
  doesn't don't didn't
`);

/** Common irregular past forms, so "the vote sent a signal" reads as a clause. */
export const IRREGULAR_PAST = set(`
  sent made took gave kept left met held told went came saw found thought brought bought won lost paid put
  set began became grew fell rose ran spent built felt knew meant hit cut led broke chose drew flew got hung
  hid lay lent let read rode rang sold shot shut sat slept spoke stood stole struck swore taught tore threw
  understood woke wore wrote sank sought fought caught bore beat bent bid bound bred burst cast clung crept
  dealt dug fed fled forbade forgave froze ground heard hurt knelt laid leapt meant overcame overtook
  proved quit rebuilt sped spun split spread sprang stuck stung strove swept swung undertook upheld withdrew
  withheld
`);

/** Nouns that name a person by office; the head of a description like "the Meridian diplomat". */
export const PERSON_ROLE_NOUNS = set(`
  minister ministers secretary mediator envoy ambassador president vice-president premier chancellor
  spokesman spokeswoman spokesperson chairman chairwoman chairperson chair head chief director counterpart
  representative negotiator official diplomat adviser advisor aide leader commander general governor mayor
  king queen prince princess emir sultan monarch deputy lawmaker senator legislator mp envoy consul
  attaché attache commissioner ombudsman prosecutor judge coordinator rapporteur scientist economist
  analyst researcher professor expert lawyer activist editor executive founder manager inspector banker
  superintendent envoy delegate campaigner observer governor-general secretary-general spokesperson
  premier treasurer auditor administrator officer
`);

/** Titles that may stand right before a name ("Ambassador Corin Vasseur", "General Arkady Voss"). */
export const NAME_TITLES = set(`
  Minister Secretary Mediator Envoy Ambassador President Vice-President Premier Chancellor Spokesman
  Spokeswoman Spokesperson Chairman Chairwoman Chairperson Chair Head Chief Director Representative
  Negotiator Official Adviser Advisor Aide Leader Commander General Governor Mayor King Queen Prince
  Princess Emir Sultan Deputy Senator Consul Commissioner Ombudsman Prosecutor Judge Coordinator
  Rapporteur Admiral Colonel Lieutenant Major Captain Marshal Dr Dr. Mr Mr. Mrs Mrs. Ms Ms. Professor Prof.
  Sheikh Archbishop Pope Cardinal Justice Speaker Lawmaker Legislator Economist Analyst Lawyer Researcher
  Activist Journalist Historian Scientist
`);

/** Honorifics and ranks that are not roles in their own right. */
export const RANK_TITLES = set(`
  General Admiral Colonel Lieutenant Major Captain Marshal Dr Dr. Mr Mr. Mrs Mrs. Ms Ms. Professor Prof. Sheikh
`);

export const FEMALE_TITLES = set(`chairwoman spokeswoman queen princess mrs mrs. ms ms. madam madame`);
export const MALE_TITLES = set(`chairman spokesman king prince mr mr. sir`);

/** Head nouns of organisation names ("Kelmar Grain Board", "Council of Northern Waters"). */
export const ORGANIZATION_HEADS = set(`
  Ministry Council Board Organization Organisation Institute Union Assembly Duma Parliament Congress Senate
  Commission Committee Agency Bank Fund Railways Railway Airlines Airways Corporation Company Office
  Secretariat Court Tribunal Authority Association Alliance League Party Forum Centre Center Foundation
  Army Navy Forces Guard Cabinet Service Department Bureau Directorate Chamber Federation Confederation
  Coalition Front Movement Network University Academy Police Mission Programme Program Society Institution
  Consortium Group Knesset Bundestag Sejm Rada Majlis Storting Riksdag Folketing Diet Cortes Secretariat
  Federation Command Ministry Inspectorate Observatory Cooperative Syndicate Council Caucus Administration
  Chiefs Mining Holdings Industries Conference Embassy Consulate Securities Partners
`);

/** Lower-case nouns that refer back to an organisation ("the ministry", "the council’s secretariat"). */
export const ORGANIZATION_REFERENCES = set(`
  ministry council board organisation organization institute union assembly parliament commission
  committee agency bank fund company office secretariat court tribunal authority association alliance
  league party forum centre center foundation department bureau directorate chamber federation coalition
  movement network university academy mission society institution consortium group operator body bloc
  railways railway cabinet caucus command firm embassy consulate administration service
`);

/** Parts of an organisation that speak for it: "the council’s secretariat said". */
export const ORGANIZATION_VOICES = set(`
  secretariat spokesman spokeswoman spokesperson office press service leadership
`);

/** Documents that can carry an organisation's words: "the memo says", "in a statement". */
export const DOCUMENT_NOUNS = set(`
  statement memo memorandum communiqué communique note notice report letter document draft declaration
  release text paper filing submission resolution readout transcript data figures
`);

/** People described only collectively ("analysts at X"): their words go to the organisation named. */
export const GROUP_NOUNS = set(`
  analysts experts officials researchers economists sources staff members spokespeople representatives
  diplomats observers
`);

/** Heads of treaty names. */
export const TREATY_HEADS = set(`
  Treaty Agreement Accord Accords Convention Protocol Charter Pact Memorandum Covenant Statute Concordat
`);

/** Words that start a sentence or phrase but never a name. */
export const FUNCTION_WORDS = set(`
  The A An In On At Since According Under After Before During From For To Of By With Without As While When
  Where Which Who Whose Whom Why How This That These Those Its It His Her Their Our Your My We They He She
  Among Between Both Each Every Some Many Most Several Any No Not But And Or Yet So If Although Though
  Because Unlike Despite Over Into Through Across Against Along Around About Above Below Beyond Near
  There Here Then Also Still Even Only Just Meanwhile However Earlier Later Last Next First Second Third
  Until Upon Within Analysts Experts Officials Relations Talks
`);

export const MONTHS = set(`
  January February March April May June July August September October November December
  Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
`);

export const WEEKDAYS = set(`Monday Tuesday Wednesday Thursday Friday Saturday Sunday`);

/** Time words that may sit between a reporting verb and its clause ("said on Thursday that"). */
export const TIME_WORDS = set(`
  today yesterday tonight earlier later recently previously last this next week month year morning
  afternoon evening night weekend Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
  March April May June July August September October November December
`);

/** Adverbs and auxiliaries between a speaker and the verb: "the diplomat also said". */
export const PRE_VERB_WORDS = set(`
  also later then further again separately earlier previously repeatedly reportedly publicly once already
  has have had would will had privately subsequently immediately quickly simply only however too
`);

/** Nouns for appositive summaries that end a reported clause: ", a remark that …". */
export const REMARK_NOUNS = set(`
  remark comment claim statement warning position view assertion move step suggestion allegation
  accusation phrase statement reference promise pledge threat
`);

/** Abbreviations that end in a dot without ending a sentence. */
export const ABBREVIATIONS = set(`
  Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Sgt Adm Gov Sen Rep St Jr Sr No Nos Art Para vs etc approx
  Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Inc Ltd Co Corp est e.g i.e U.S U.K U.N a.m p.m
`);
