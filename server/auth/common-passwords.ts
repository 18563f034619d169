/**
 * Passwords that are refused whatever their length: the most used ones, from
 * public breach lists (lowercase, matched case-insensitively by
 * password-policy.ts). Short entries are refused by the length rule anyway;
 * they are kept so the list also serves a check of older passwords.
 * One per whitespace-separated word; none contains a space.
 */
const LIST = `
!qaz2wsx3edc 000000 000000000000 098765432109 0987654321qwerty 1111 111111 11111111 111111111111 112233
112233445566 121212 121212121212 123123 123123123123 123321 1234 12345 123456 123456123456 1234567 12345678
123456789 1234567890 123456789012 1234567890123 12345678901234 1234567890ab 1234567890abcdef 1234567890qwerty
123456789abc 12345678abcd 12345678qwerty 12345qwertasdfg 1234abcd1234 1234qwerasdf 123654789012 123abc 123qwe
123testtest 131313 1314520520 147258369012 147852369123 159753 159753123456 1a2b3c4d5e6f 1q2w3e4r 1q2w3e4r5t
1q2w3e4r5t6y 1q2w3e4r5t6y7u 1qaz!qaz1qaz 1qaz2wsx 1qaz2wsx3edc 1qaz2wsx3edc4rfv 1qaz@wsx3edc 1qazxsw23edc
2000 222222222222 333333333333 444444444444 5201314520 555555 555555555555 654321 666666 666666666666 696969
741852963123 777777 7777777 777777777777 888888888888 963852741123 987654321 987654321098 999999999999
a1b2c3d4e5f6 a1b2c3d4e5f6g7 aa123456789a aaaaaa aaaaaaaaaaaa abc123 abc12345 abc123456789 abc123abc123
abcd12345678 abcdefg12345 abcdefghijkl abcdefghijklm abcdefghijklmnop abcdefghijklmnopqrstuvwxyz access
access123456 accessgranted admin admin123 admin1234567 admin12345678 admin123456789 adminadmin123
administrator administrator1 administrator123 adminpassword amanda andrew apple1234567 arsenal12345
asdfasdfasdf asdfgh asdfghjkl123 asdfghjkl;' asdfghjklqwertyuiop asdfghjklzxcv asdzxc123456 ashley
august123456 austin autumn123456 autumn2025! bailey123456 barcelona123 baseball baseball1 baseball1234
baseballbaseball basketball12 basketball123 batman batman123 batman123456 berthadmin123 berthberth123
berthpassword biteme blessed12345 buster buster123456 butterfly123 changeme changeme1234 changemenow123
charlie charlie12345 charliecharlie cheese chelsea chelsea12345 chocolate123 chocolate1234 company12345
companyname1 computer computer1234 contrasena123 contraseña123 cookie123456 correcthorsebatterystaple
corvette1234 cowboys12345 dallas daniel debian123456 december1234 default default12345 defaultpassword demo
demo123 docker123456 dockeradmin123 dockerdocker donotforget1 dontforgetme dragon dragon123 dragonball12
dragondragon facebook1234 facebook12345 ferrari12345 football football1 football1234 footballfootball
forgotpassword fortnite1234 freedom george ginger ginger123456 godisgood123 goodmorning1 goodnight123
google123456 guest guestguest123 happybirthday happydays123 harley hello hello123 hello1234 hello123456789
hellohello123 hellothere123 helloworld12 helloworld123 hockey hockey123456 hunter iamthebest12 iamtheking12
idontknow123 iforgotmypassword ilovejesus1 ilovemycat ilovemydog ilovemyfamily ilovemymom iloveyou iloveyou1
iloveyou1234 iloveyou12345 iloveyoubaby iloveyouforever iloveyouiloveyou iloveyousomuch instagram123
internet1234 january2025! jennifer jennifer1234 jessica jessica12345 jesuschrist jesusislord jesuslovesme
jordan joshua juventus1234 killer klaster kubernetes123 lakers123456 letmein letmein!letmein letmein123
letmein1234 letmein12345 letmeinletmein letmeinnow123 letmeinnowplease letmeinplease linkedin1234
linuxlinux123 liverpool123 lkjhgfdsa123 login login1234567 logmein12345 love loveyouforever maggie
maggie123456 manchester12 master master123 masterkey123 mastermaster matrix matthew mercedes1234 michael
michael12345 michaelmichael michelle microsoft123 minecraft minecraft123 minecraft1234 mnbvcxz12345 monkey
monkey123 monkeymonkey motdepasse123 mustang mustang12345 mypassword123 mypassword1234 myspace12345
naruto123456 newpassword1 newpassword123 newpassword1234 nicole nintendo1234 nopassword123 november1234
october12345 oldpassword123 opensesame12 openupnow123 p@$$w0rd1234 p@ssw0rd p@ssw0rd1234 p@ssword
p@ssword1234 pa$$word1234 pass passw0rd passw0rd1234 password password!password password1 password1!
password12 password123 password123! password1234 password12345 password123456 password1234567
password12345678 password2023 password2024 password2025 password2026 passwordpassword passwordqwerty
passwort1234 pepper pepper123456 playstation1 playstation12 pleaseletmein poiuytrewq12 pokemon12345
portainer123 portainerpassword princess princess1 princess1234 princessprincess q1w2e3r4t5 q1w2e3r4t5y6
q1w2e3r4t5y6u7 qazwsx qazwsxedc123 qazwsxedcrfv qazxswedcvfr qq123456789 qweasdzxc123 qweasdzxc1234
qwer1234asdf qwerasdfzxcv qwerasdfzxcv1234 qwerty qwerty1 qwerty123 qwerty123456 qwerty1234567 qwerty12345678
qwerty1234567890 qwerty123qwerty qwertypassword qwertyqwerty qwertyuiop qwertyuiop12 qwertyuiop123
qwertyuiopas qwertyuiopasdf qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm ranger raspberry123 raspberrypi1
realmadrid12 robert root rootpassword rootroot1234 samsung12345 secret secret123456 secretpassword
senha12345678 september123 sesameopen123 shadow shadow123 shadow123456 shadowshadow soccer soccer123456
spiderman123 spring123456 spring2025! starwars starwars1 starwars1234 steelers1234 summer summer123456
summer2024! summer2025! sunshine sunshine1 sunshine1234 sunshinesunshine superman superman1 superman1234
supersecret1 supersecret123 taylor temp temp123 temporarypassword temppassword1 test test123 test12345678
testing12345 testpassword testtest1234 thisisapassword thisisasecret thisismypassword thomas thunder tigger
tigger123456 toor topsecret123 trustno1 trustno1trustno1 trustnoone123 twitter12345 ubuntu123456 user user123
username1234 useruser1234 welcome welcome1 welcome12345 welcome123456 welcome2024! welcome2025! welcome2026!
welcometoberth welcomewelcome whatever whatever1234 windows12345 winter123456 winter2024! winter2025!
woaini1314520 xbox36012345 yankees yankees12345 youtube12345 zaq12wsx zaq12wsxcde3 zaq1zaq1zaq1 zxcvbn
zxcvbnm zxcvbnm12345 zxcvbnm123456 zxcvbnmasdfghjkl`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean));
