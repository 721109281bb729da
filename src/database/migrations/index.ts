// Every migration, in order. `npm run migration:generate -- Name` adds new ones here.
import { Init1795456985110 } from './1795456985110-Init';
import { SearchDocuments1795457301129 } from './1795457301129-SearchDocuments';
import { OrgUnitsAndUsers1795457900344 } from './1795457900344-OrgUnitsAndUsers';
import { AuthSessions1795458189326 } from './1795458189326-AuthSessions';
import { AuditLogs1795458202541 } from './1795458202541-AuditLogs';
import { UsersPhoneUnique1795458238159 } from './1795458238159-UsersPhoneUnique';
import { OrgUnitConstraints1795458240506 } from './1795458240506-OrgUnitConstraints';
import { Archives1795458696337 } from './1795458696337-Archives';
import { ArchiveWorkflow1795458840343 } from './1795458840343-ArchiveWorkflow';
import { ArchiveData1795459097259 } from './1795459097259-ArchiveData';
import { ArchiveEvidence1795459323994 } from './1795459323994-ArchiveEvidence';
import { ArchiveConsentsKeepProof1795461375424 } from './1795461375424-ArchiveConsentsKeepProof';
import { OrgTreeAnyLevel1796406589502 } from './1796406589502-OrgTreeAnyLevel';
import { AuditChain1796407759858 } from './1796407759858-AuditChain';
import { ArchiveCategoryFacts1796409000000 } from './1796409000000-ArchiveCategoryFacts';
import { AppRole1796454906671 } from './1796454906671-AppRole';
import { ArchiveStatusTransitions1796455981043 } from './1796455981043-ArchiveStatusTransitions';
import { ArchiveReopenTransition1796456674654 } from './1796456674654-ArchiveReopenTransition';
import { ArchiveConversion1796456988014 } from './1796456988014-ArchiveConversion';
import { ArchiveChangeRequests1796458701381 } from './1796458701381-ArchiveChangeRequests';
import { BindEncryptedFields1796459479268 } from './1796459479268-BindEncryptedFields';
import { ArchiveAidExclusions1796460036402 } from './1796460036402-ArchiveAidExclusions';
import { MenuItems1796476343816 } from './1796476343816-MenuItems';
import { Partners1796490958152 } from './1796490958152-Partners';
import { Needs1796491012504 } from './1796491012504-Needs';
import { Offers1796515767265 } from './1796515767265-Offers';

export const MIGRATIONS = [Init1795456985110, SearchDocuments1795457301129, OrgUnitsAndUsers1795457900344, AuthSessions1795458189326, AuditLogs1795458202541, UsersPhoneUnique1795458238159, OrgUnitConstraints1795458240506, Archives1795458696337, ArchiveWorkflow1795458840343, ArchiveData1795459097259, ArchiveEvidence1795459323994, ArchiveConsentsKeepProof1795461375424, OrgTreeAnyLevel1796406589502, AuditChain1796407759858, ArchiveCategoryFacts1796409000000, AppRole1796454906671, ArchiveStatusTransitions1796455981043, ArchiveReopenTransition1796456674654, ArchiveConversion1796456988014, ArchiveChangeRequests1796458701381, BindEncryptedFields1796459479268, ArchiveAidExclusions1796460036402, MenuItems1796476343816, Partners1796490958152, Needs1796491012504, Offers1796515767265];
