// World knowledge the text cannot supply: real states with their formal names, demonyms and capitals,
// well-known international organisations and multilateral instruments. Invented states in the corpus are
// recognised from the text instead ("Republic of Arvand", "the Meridian capital").

export type StateEntry = {
  name: string;
  formal: string[];
  demonyms: string[];
  /** The capital first, then other spellings ("Kyiv", "Kiev"). */
  capitals: string[];
  abbreviations: string[];
};

// name | formal names | demonyms | capital | abbreviations
const STATES = `
Afghanistan|Islamic Republic of Afghanistan;Islamic Emirate of Afghanistan|Afghan|Kabul|
Albania|Republic of Albania|Albanian|Tirana|
Algeria|People's Democratic Republic of Algeria|Algerian|Algiers|
Andorra|Principality of Andorra|Andorran|Andorra la Vella|
Angola|Republic of Angola|Angolan|Luanda|
Argentina|Argentine Republic|Argentine;Argentinian|Buenos Aires|
Armenia|Republic of Armenia|Armenian|Yerevan|
Australia|Commonwealth of Australia|Australian|Canberra|
Austria|Republic of Austria|Austrian|Vienna|
Azerbaijan|Republic of Azerbaijan|Azerbaijani|Baku|
Bahrain|Kingdom of Bahrain|Bahraini|Manama|
Bangladesh|People's Republic of Bangladesh|Bangladeshi|Dhaka|
Belarus|Republic of Belarus|Belarusian|Minsk|
Belgium|Kingdom of Belgium|Belgian||
Bolivia|Plurinational State of Bolivia|Bolivian|La Paz|
Bosnia and Herzegovina||Bosnian|Sarajevo|
Brazil|Federative Republic of Brazil|Brazilian|Brasilia|
Bulgaria|Republic of Bulgaria|Bulgarian|Sofia|
Cambodia|Kingdom of Cambodia|Cambodian|Phnom Penh|
Cameroon|Republic of Cameroon|Cameroonian|Yaounde|
Canada||Canadian|Ottawa|
Chile|Republic of Chile|Chilean|Santiago|
China|People's Republic of China|Chinese|Beijing|PRC
Colombia|Republic of Colombia|Colombian|Bogota|
Croatia|Republic of Croatia|Croatian|Zagreb|
Cuba|Republic of Cuba|Cuban|Havana|
Cyprus|Republic of Cyprus|Cypriot|Nicosia|
Czech Republic|Czechia|Czech|Prague|
Denmark|Kingdom of Denmark|Danish|Copenhagen|
Egypt|Arab Republic of Egypt|Egyptian|Cairo|
Estonia|Republic of Estonia|Estonian|Tallinn|
Ethiopia|Federal Democratic Republic of Ethiopia|Ethiopian|Addis Ababa|
Finland|Republic of Finland|Finnish|Helsinki|
France|French Republic|French|Paris|
Georgia||Georgian|Tbilisi|
Germany|Federal Republic of Germany|German|Berlin|FRG
Ghana|Republic of Ghana|Ghanaian|Accra|
Greece|Hellenic Republic|Greek|Athens|
Hungary||Hungarian|Budapest|
Iceland||Icelandic|Reykjavik|
India|Republic of India|Indian|New Delhi|
Indonesia|Republic of Indonesia|Indonesian|Jakarta|
Iran|Islamic Republic of Iran|Iranian|Tehran|
Iraq|Republic of Iraq|Iraqi|Baghdad|
Ireland||Irish|Dublin|
Israel|State of Israel|Israeli||
Italy|Italian Republic|Italian|Rome|
Japan||Japanese|Tokyo|
Jordan|Hashemite Kingdom of Jordan|Jordanian|Amman|
Kazakhstan|Republic of Kazakhstan|Kazakh|Astana|
Kenya|Republic of Kenya|Kenyan|Nairobi|
Kuwait|State of Kuwait|Kuwaiti||
Kyrgyzstan|Kyrgyz Republic|Kyrgyz|Bishkek|
Laos|Lao People's Democratic Republic|Lao;Laotian|Vientiane|
Latvia|Republic of Latvia|Latvian|Riga|
Lebanon|Lebanese Republic|Lebanese|Beirut|
Libya|State of Libya|Libyan|Tripoli|
Lithuania|Republic of Lithuania|Lithuanian|Vilnius|
Luxembourg|Grand Duchy of Luxembourg|Luxembourgish||
Malaysia||Malaysian|Kuala Lumpur|
Mali|Republic of Mali|Malian|Bamako|
Mexico|United Mexican States|Mexican||
Moldova|Republic of Moldova|Moldovan|Chisinau|
Mongolia||Mongolian|Ulaanbaatar|
Montenegro||Montenegrin|Podgorica|
Morocco|Kingdom of Morocco|Moroccan|Rabat|
Myanmar|Republic of the Union of Myanmar;Burma|Myanmar;Burmese|Naypyidaw|
Nepal|Federal Democratic Republic of Nepal|Nepalese;Nepali|Kathmandu|
Netherlands|Kingdom of the Netherlands|Dutch|Amsterdam|
New Zealand||New Zealand|Wellington|
Nigeria|Federal Republic of Nigeria|Nigerian|Abuja|
North Korea|Democratic People's Republic of Korea|North Korean|Pyongyang|DPRK
North Macedonia|Republic of North Macedonia|Macedonian|Skopje|
Norway|Kingdom of Norway|Norwegian|Oslo|
Oman|Sultanate of Oman|Omani|Muscat|
Pakistan|Islamic Republic of Pakistan|Pakistani|Islamabad|
Palestine|State of Palestine|Palestinian|Ramallah|
Peru|Republic of Peru|Peruvian|Lima|
Philippines|Republic of the Philippines|Philippine;Filipino|Manila|
Poland|Republic of Poland|Polish|Warsaw|
Portugal|Portuguese Republic|Portuguese|Lisbon|
Qatar|State of Qatar|Qatari|Doha|
Romania||Romanian|Bucharest|
Russia|Russian Federation|Russian|Moscow|
Rwanda|Republic of Rwanda|Rwandan|Kigali|
Saudi Arabia|Kingdom of Saudi Arabia|Saudi|Riyadh|KSA
Senegal|Republic of Senegal|Senegalese|Dakar|
Serbia|Republic of Serbia|Serbian|Belgrade|
Singapore|Republic of Singapore|Singaporean||
Slovakia|Slovak Republic|Slovak|Bratislava|
Slovenia|Republic of Slovenia|Slovenian|Ljubljana|
Somalia|Federal Republic of Somalia|Somali|Mogadishu|
South Africa|Republic of South Africa|South African|Pretoria|
South Korea|Republic of Korea|South Korean|Seoul|ROK
South Sudan|Republic of South Sudan|South Sudanese|Juba|
Spain|Kingdom of Spain|Spanish|Madrid|
Sri Lanka|Democratic Socialist Republic of Sri Lanka|Sri Lankan|Colombo|
Sudan|Republic of the Sudan|Sudanese|Khartoum|
Sweden|Kingdom of Sweden|Swedish|Stockholm|
Switzerland|Swiss Confederation|Swiss|Bern|
Syria|Syrian Arab Republic|Syrian|Damascus|
Taiwan|Republic of China|Taiwanese|Taipei|
Tajikistan|Republic of Tajikistan|Tajik|Dushanbe|
Thailand|Kingdom of Thailand|Thai|Bangkok|
Tunisia|Republic of Tunisia|Tunisian|Tunis|
Turkey|Republic of Turkey;Türkiye;Republic of Türkiye|Turkish|Ankara|
Turkmenistan||Turkmen|Ashgabat|
Uganda|Republic of Uganda|Ugandan|Kampala|
Ukraine||Ukrainian|Kyiv;Kiev|
United Arab Emirates||Emirati|Abu Dhabi|UAE
United Kingdom|United Kingdom of Great Britain and Northern Ireland;Britain;Great Britain|British|London|UK
United States|United States of America|American|Washington|US;USA
Uruguay|Oriental Republic of Uruguay|Uruguayan|Montevideo|
Uzbekistan|Republic of Uzbekistan|Uzbek|Tashkent|
Venezuela|Bolivarian Republic of Venezuela|Venezuelan|Caracas|
Vietnam|Socialist Republic of Vietnam;Viet Nam|Vietnamese|Hanoi|
Yemen|Republic of Yemen|Yemeni|Sanaa|
Zimbabwe|Republic of Zimbabwe|Zimbabwean|Harare|
`;

function splitList(field: string | undefined): string[] {
  return (field ?? '')
    .split(';')
    .map((item) => item.trim())
    .filter(Boolean);
}

export const KNOWN_STATES: readonly StateEntry[] = STATES.trim()
  .split('\n')
  .map((line) => {
    const [name = '', formal, demonyms, capital, abbreviations] = line.split('|');
    return {
      name,
      formal: splitList(formal),
      demonyms: splitList(demonyms),
      capitals: splitList(capital),
      abbreviations: splitList(abbreviations),
    };
  });

export type OrganizationEntry = { name: string; forms: string[] };

export const KNOWN_ORGANIZATIONS: readonly OrganizationEntry[] = [
  { name: 'United Nations', forms: ['United Nations', 'UN', 'U.N.'] },
  {
    name: 'United Nations General Assembly',
    forms: ['United Nations General Assembly', 'UN General Assembly', 'UNGA'],
  },
  {
    name: 'United Nations Security Council',
    forms: ['United Nations Security Council', 'UN Security Council'],
  },
  { name: 'European Union', forms: ['European Union', 'EU'] },
  { name: 'European Commission', forms: ['European Commission'] },
  { name: 'North Atlantic Treaty Organization', forms: ['North Atlantic Treaty Organization', 'NATO'] },
  {
    name: 'World Trade Organization',
    forms: ['World Trade Organization', 'World Trade Organisation', 'WTO'],
  },
  {
    name: 'World Health Organization',
    forms: ['World Health Organization', 'World Health Organisation', 'WHO'],
  },
  { name: 'International Atomic Energy Agency', forms: ['International Atomic Energy Agency', 'IAEA'] },
  { name: 'International Monetary Fund', forms: ['International Monetary Fund', 'IMF'] },
  { name: 'World Bank', forms: ['World Bank'] },
  { name: 'International Court of Justice', forms: ['International Court of Justice', 'ICJ'] },
  { name: 'International Criminal Court', forms: ['International Criminal Court', 'ICC'] },
  {
    name: 'Organization for Security and Co-operation in Europe',
    forms: ['Organization for Security and Co-operation in Europe', 'OSCE'],
  },
  { name: 'African Union', forms: ['African Union', 'AU'] },
  {
    name: 'Association of Southeast Asian Nations',
    forms: ['Association of Southeast Asian Nations', 'ASEAN'],
  },
  { name: 'Arab League', forms: ['Arab League', 'League of Arab States'] },
  { name: 'Council of Europe', forms: ['Council of Europe'] },
  { name: 'Shanghai Cooperation Organisation', forms: ['Shanghai Cooperation Organisation', 'SCO'] },
  {
    name: 'Collective Security Treaty Organization',
    forms: ['Collective Security Treaty Organization', 'CSTO'],
  },
  { name: 'Organization of the Petroleum Exporting Countries', forms: ['OPEC'] },
  {
    name: 'International Committee of the Red Cross',
    forms: ['International Committee of the Red Cross', 'ICRC'],
  },
];

export type InstrumentEntry = { title: string; forms: string[]; multilateral: boolean };

/** Multilateral instruments known by short names ("UN Charter"); "the Charter" refers back to them. */
export const KNOWN_INSTRUMENTS: readonly InstrumentEntry[] = [
  {
    title: 'Charter of the United Nations',
    forms: ['Charter of the United Nations', 'United Nations Charter', 'UN Charter', 'U.N. Charter'],
    multilateral: true,
  },
  {
    title: 'Treaty on the Non-Proliferation of Nuclear Weapons',
    forms: ['Treaty on the Non-Proliferation of Nuclear Weapons', 'Non-Proliferation Treaty', 'NPT'],
    multilateral: true,
  },
  {
    title: 'Vienna Convention on Diplomatic Relations',
    forms: ['Vienna Convention on Diplomatic Relations'],
    multilateral: true,
  },
  {
    title: 'Vienna Convention on the Law of Treaties',
    forms: ['Vienna Convention on the Law of Treaties'],
    multilateral: true,
  },
  {
    title: 'United Nations Convention on the Law of the Sea',
    forms: [
      'United Nations Convention on the Law of the Sea',
      'UN Convention on the Law of the Sea',
      'UNCLOS',
    ],
    multilateral: true,
  },
  {
    title: 'North Atlantic Treaty',
    forms: ['North Atlantic Treaty', 'Washington Treaty'],
    multilateral: true,
  },
  { title: 'Paris Agreement', forms: ['Paris Agreement'], multilateral: true },
  {
    title: 'Rome Statute of the International Criminal Court',
    forms: ['Rome Statute of the International Criminal Court', 'Rome Statute'],
    multilateral: true,
  },
  { title: 'Geneva Conventions', forms: ['Geneva Conventions'], multilateral: true },
];
